// In-memory state of one emulator instance, plus the embedded shapes (team, project, tags, region)
// that several resources share.
import { randomInt } from "node:crypto";
import { Stock, type Site } from "./catalog";
import { type Rng, timestamp } from "./ids";
import type { InterfaceShape } from "./interfaces";
import { invalid, notFound } from "./http";

export interface ProjectRec {
  id: string;
  name: string;
  slug: string;
  description: string;
  provisioningType: "on_demand" | "reserved";
  environment: string | null;
  bandwidthAlert: boolean;
  tags: string[];
  /** `billing.subscription_id`: a string in every recorded answer (`sub_…`; latitude-api.md §19). */
  subscriptionId: string;
  createdAt: string;
  updatedAt: string;
}

export interface ServerRec {
  id: string;
  hostname: string;
  label: string;
  /** The real status; readers may see `stale` instead for a few reads after a reinstall. */
  status: string;
  stale?: { status: string; reads: number };
  project: string;
  plan: string;
  site: string;
  os: string;
  ipxe?: string;
  billing: "hourly" | "monthly" | "yearly";
  primaryIpv4: string;
  /** Undefined where the site gives none: the attribute is then absent, as recorded for SAO (§8.2). */
  primaryIpv6?: string;
  tags: string[];
  sshKeys: string[];
  locked: boolean;
  /** The installed system is up (drives the Talos listener for iPXE servers). */
  booted: boolean;
  createdAt: string;
  /** The shape of its `interfaces` attribute, chosen at create (interfaces.ts). */
  interfaceShape: InterfaceShape;
}

export interface SshKeyRec {
  id: string;
  name: string;
  publicKey: string;
  fingerprint: string;
  project: string | null;
  tags: string[];
  createdAt: string;
  updatedAt: string;
}

export interface TagRec {
  id: string;
  name: string;
  slug: string;
  description: string | null;
  color: string;
}

export interface VlanRec {
  id: string;
  vid: number;
  site: string;
  project: string;
  description: string;
  tags: string[];
}

/** A server deleted through the API that lists still show, with its last status (knob deletedServerListedMs). */
export interface DeletedServer {
  server: ServerRec;
  status: string;
  listedUntil: number;
}

export interface AssignmentRec {
  id: string;
  vlan: string;
  server: string;
  status: "connecting" | "connected" | "disconnecting";
}

export const TEAM = {
  id: "team_EmuLat0Team01",
  name: "Emulated Team",
  slug: "emulated-team",
  description: "Latitude.sh emulator",
  address: null,
  currency: { id: "cur_USD0000000001", code: "USD", name: "United States Dollar", currency_id: null },
  status: "verified",
  feature_flags: [],
  limits: { bare_metal: 50, bare_metal_gpu: 5, virtual_machine: 10, virtual_machine_gpu: 0, elastic_ip: 10, virtual_network: 20, database: 0, filesystem: 0, block_storage: 0 },
};

export const USER = {
  id: "user_EmuLat0User01",
  first_name: "Emulated",
  last_name: "User",
  email: "emulator@example.invalid",
  created_at: "2024-01-01T00:00:00+00:00",
  updated_at: "2024-01-01T00:00:00+00:00",
};

/** Hands out unique addresses in 127.A.B.x; A.B is random per instance so parallel emulators differ. */
export class AddressPool {
  private readonly a = randomInt(16, 251);
  private b = randomInt(0, 200);
  private c = 10;

  next(): string {
    if (this.c > 254) {
      this.c = 10;
      this.b = (this.b + 1) % 256;
    }
    return `127.${this.a}.${this.b}.${this.c++}`;
  }
}

export class Store {
  readonly projects = new Map<string, ProjectRec>();
  readonly servers = new Map<string, ServerRec>();
  /** Gone for GET/PATCH/DELETE (404), still in GET /servers for a while. */
  readonly deletedServers = new Map<string, DeletedServer>();
  readonly sshKeys = new Map<string, SshKeyRec>();
  readonly tags = new Map<string, TagRec>();
  readonly vlans = new Map<string, VlanRec>();
  readonly assignments = new Map<string, AssignmentRec>();
  readonly stock = new Stock();
  readonly addresses = new AddressPool();

  constructor(readonly rng: Rng) {}

  /** A fresh id that is not in use in `map`. */
  newId(prefix: string, map: Map<string, unknown>, length = 13): string {
    for (;;) {
      const id = this.rng.id(prefix, length);
      if (!map.has(id)) return id;
    }
  }

  /** Projects are addressed by id or slug everywhere. */
  findProject(idOrSlug: string): ProjectRec | undefined {
    return this.projects.get(idOrSlug) ?? [...this.projects.values()].find((p) => p.slug === idOrSlug);
  }

  projectOr404(idOrSlug: string): ProjectRec {
    const p = this.findProject(idOrSlug);
    if (!p) throw notFound();
    return p;
  }

  /**
   * Validates tag ids for a PATCH that replaces a tag set (422 on an unknown id). An empty string
   * is dropped: `tags: [""]` answered 200 with `tags: []` for servers, SSH keys and VLANs (§19).
   */
  checkTags(ids: readonly string[]): string[] {
    const real = ids.filter((id) => id !== "");
    for (const id of real) if (!this.tags.has(id)) throw invalid("tags", `tag ${id} does not exist`);
    return [...new Set(real)];
  }

  tagIncludes(ids: readonly string[]): Array<{ id: string; name: string; description: string | null; color: string }> {
    return ids.flatMap((id) => {
      const t = this.tags.get(id);
      return t ? [{ id: t.id, name: t.name, description: t.description, color: t.color }] : [];
    });
  }

  projectStats(projectId: string): Record<string, number> {
    const count = <T extends { project: string | null }>(m: Map<string, T>): number =>
      [...m.values()].filter((x) => x.project === projectId).length;
    return { servers: count(this.servers), vlans: count(this.vlans), ip_addresses: 0, prefixes: 0, databases: 0, storages: 0, virtual_machines: 0 };
  }

  /**
   * The project as embedded in servers (and SSH keys when knob sshKeyProject is "embedded"). The
   * recorded embeds carry no created_at/updated_at; billing type and method were "Normal" for
   * on-demand and reserved projects alike (recorded servers, 2024–2025; latitude-api.md §4).
   */
  projectInclude(p: ProjectRec): Record<string, unknown> {
    return {
      id: p.id,
      name: p.name,
      slug: p.slug,
      description: p.description === "" ? null : p.description,
      billing_type: "Normal",
      billing_method: "Normal",
      bandwidth_alert: p.bandwidthAlert,
      environment: p.environment,
      provisioning_type: p.provisioningType,
      billing: { subscription_id: p.subscriptionId, type: "Normal", method: "Normal" },
      stats: this.projectStats(p.id),
    };
  }

  touch<T extends { updatedAt: string }>(rec: T): T {
    rec.updatedAt = timestamp();
    return rec;
  }
}

/** `region` as embedded in servers and VLANs. */
export function regionInclude(site: Site): Record<string, unknown> {
  return {
    city: site.city,
    country: site.country.name,
    site: { id: site.id, name: site.name, slug: site.slug, facility: site.facility },
  };
}

/** Slug rule recorded for projects and tags: lower-case, spaces → "-", underscores kept. */
export function slugify(name: string): string {
  return name
    .trim()
    .toLowerCase()
    .replace(/\s+/g, "-")
    .replace(/[^a-z0-9_-]/g, "");
}
