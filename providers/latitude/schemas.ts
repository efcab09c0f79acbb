// Response shapes of the Latitude API, checked with zod. Objects are loose (new fields pass
// through) and enums the API extends are plain strings: `starting_deploy` is a real server
// status that the published spec lacks, and generated SDKs with closed enums fail on it.
//
// The schemas are built on first use and cached on globalThis: this module is serialized into
// dynamic providers, and a zod schema instance cannot be serialized while a function can.
import type { z as Z } from "zod";

function buildSchemas(z: typeof Z) {
  const named = z.looseObject({ id: z.string().optional(), name: z.string().nullish(), slug: z.string().nullish() });
  const tagRef = z.looseObject({ id: z.string(), name: z.string(), description: z.string().nullish(), color: z.string().nullish() });
  // Attribute schemas, one per resource kind.
  const server = z.looseObject({
      hostname: z.string().nullish(),
      status: z.string(),
      label: z.string().nullish(),
      locked: z.boolean().nullish(),
      primary_ipv4: z.string().nullish(),
      primary_ipv6: z.string().nullish(),
      price: z.number().nullish(),
      plan: z.looseObject({ id: z.string().nullish(), name: z.string().nullish(), slug: z.string().nullish(), billing: z.string().nullish() }).nullish(),
      region: z.looseObject({ city: z.string().nullish(), site: named.nullish() }).nullish(),
      project: named.nullish(),
      operating_system: named.nullish(),
      tags: z.array(tagRef).nullish(),
      created_at: z.string().nullish(),
      interfaces: z.array(z.looseObject({ role: z.string().nullish(), name: z.string().nullish(), mac_address: z.string().nullish() })).nullish(),
  });
  const project = z.looseObject({
      name: z.string(),
      slug: z.string(),
      description: z.string().nullish(),
      provisioning_type: z.string().nullish(),
      billing_type: z.string().nullish(),
      environment: z.string().nullish(),
      tags: z.array(tagRef).nullish(),
  });
  const price = z.number().nullish();
  const plan = z.looseObject({
      slug: z.string(),
      name: z.string(),
      features: z.array(z.string()).nullish(),
      specs: z.looseObject({}).nullish(),
      regions: z
        .array(
          z.looseObject({
            name: z.string(),
            locations: z.looseObject({ available: z.array(z.string()).default([]), in_stock: z.array(z.string()).default([]) }),
            stock_level: z.string().nullish(),
            pricing: z.looseObject({ USD: z.looseObject({ hour: price, month: price, year: price }).nullish() }).nullish(),
          }),
        )
        .default([]),
  });
  const region = z.looseObject({ name: z.string(), slug: z.string(), facility: z.string().nullish() });
  const operatingSystem = z.looseObject({ name: z.string(), slug: z.string(), provisionable_on: z.array(z.string()).nullish(), features: z.looseObject({}).nullish() });
  const sshKey = z.looseObject({ name: z.string(), public_key: z.string(), fingerprint: z.string().nullish(), tags: z.array(tagRef).nullish(), project: named.nullish() });
  const tag = z.looseObject({ name: z.string(), slug: z.string().nullish(), description: z.string().nullish(), color: z.string().nullish() });
  const virtualNetwork = z.looseObject({
      vid: z.number(),
      name: z.string().nullish(),
      description: z.string().nullish(),
      site: z.string().nullish(),
      region: z.looseObject({ site: named.nullish() }).nullish(),
      project: named.nullish(),
      assignments_count: z.number().nullish(),
      tags: z.array(tagRef).nullish(),
  });
  const vlanAssignment = z.looseObject({
      status: z.string(),
      vid: z.number().nullish(),
      virtual_network_id: z.string().nullish(),
      server_id: z.string().nullish(),
      server: z.looseObject({ id: z.string(), hostname: z.string().nullish(), status: z.string().nullish() }).nullish(),
  });
  // Every resource arrives as { id, type, attributes } with related objects inside attributes.
  const envelopeItem = z.object({ id: z.string(), type: z.string(), attributes: z.record(z.string(), z.unknown()) });
  const listMeta = z
    .looseObject({ stats: z.looseObject({ total: z.looseObject({ count: z.number() }).nullish() }).nullish() })
    .nullish();

  return { server, project, plan, region, operatingSystem, sshKey, tag, virtualNetwork, vlanAssignment, envelopeItem, listMeta };
}

export type LatitudeSchemas = ReturnType<typeof buildSchemas>;
export type ResourceKind = Exclude<keyof LatitudeSchemas, "envelopeItem" | "listMeta">;
/** A resource as callers see it: the envelope's id beside its attributes. */
export type Resource<K extends ResourceKind> = { id: string } & Z.output<LatitudeSchemas[K]>;
export type Server = Resource<"server">;
export type Project = Resource<"project">;
export type Plan = Resource<"plan">;
export type Region = Resource<"region">;
export type OperatingSystem = Resource<"operatingSystem">;
export type SshKey = Resource<"sshKey">;
export type Tag = Resource<"tag">;
export type VirtualNetwork = Resource<"virtualNetwork">;
export type VlanAssignment = Resource<"vlanAssignment">;

// A string key: the closure serializer cannot carry a Symbol.
const SCHEMAS_KEY = "__ctoMetalLatitudeSchemas_v1";

export function latitudeSchemas(): LatitudeSchemas {
  const holder = globalThis as unknown as Record<string, LatitudeSchemas | undefined>;
  let schemas = holder[SCHEMAS_KEY];
  if (!schemas) {
    const { z } = require("zod") as typeof import("zod");
    schemas = buildSchemas(z);
    holder[SCHEMAS_KEY] = schemas;
  }
  return schemas;
}
