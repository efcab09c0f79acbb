// Zod schemas for the value of each key, with the wording of their errors. Rules that span keys
// live in schema.ts.
import { z } from "zod";
import { parseIpv4Cidr } from "./cidr";
import { expecting, expectingList, show, strictObjectError } from "./issues";
import { isOpenSshPublicKey } from "./sshKey";
import type { Billing, ProjectConfig, ProvisioningType, VlanParent } from "./types";
import { LINK_NAME, MAC_ADDRESS, PCI_BUS_PATH } from "./talosNames";

export const MAX_NODES = 50;
export const DEFAULT_VLAN_SUBNET = "10.8.0.0/24";

export const JSON_WHAT: Record<string, string> = { project: "a JSON object", vlan: "a JSON object" };

export const SITE = 'a Latitude site slug (letters and an optional digit, e.g. "MIA2")';
export const PLAN = 'a plan slug (lower-case words joined by "-", e.g. "c2-small-x86")';
export const PROJECT = '{"slug": ...} to adopt an existing project or {"name": ...} to create one';
export const NODES = `a list of 1 to ${MAX_NODES} nodes such as [{"name": "cp1"}]`;

/**
 * The billing cycles Latitude accepts for a project's servers: on-demand projects bill hourly or
 * monthly, reserved ones yearly (spec, create server; latitude-api.md §4, §19). Checked against
 * the config for a created project (schema.ts) and an adopted one (components/fleet/catalogueCheck.ts).
 */
export const BILLINGS_BY_PROVISIONING_TYPE: Readonly<Record<ProvisioningType, readonly Billing[]>> = {
  on_demand: ["hourly", "monthly"],
  reserved: ["yearly"],
};

/** `"hourly" or "monthly"`: the accepted cycles, as an error names them. */
export const billingChoices = (billings: readonly Billing[]): string => billings.map((b) => `"${b}"`).join(" or ");

export const planSchema = z
  .string(expecting(PLAN))
  .max(64, expecting(PLAN))
  .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, expecting(PLAN));
export const siteSchema = z
  .string(expecting(SITE))
  .regex(/^[A-Za-z]{2,6}[0-9]?$/, expecting(SITE))
  .transform((site) => site.toUpperCase());

const SLUG = 'a project slug (lower-case letters, digits, "-" and "_", e.g. "cto-test")';
export const adoptSchema = z
  .strictObject(
    {
      slug: z
        .string(expecting(SLUG))
        .max(100, expecting(SLUG))
        .regex(/^[a-z0-9_-]+$/, expecting(SLUG)),
    },
    strictObjectError(["slug"]),
  )
  .transform((p): ProjectConfig => ({ kind: "adopt", slug: p.slug }));

// Names are sent as given, so surrounding spaces are refused rather than silently trimmed.
const TRIMMED = /^\S(.*\S)?$/;
const NAME = "a project name of 1 to 100 characters, without surrounding spaces";
const DESCRIPTION = "a description of at most 255 characters";
export const createSchema = z
  .strictObject(
    {
      name: z.string(expecting(NAME)).max(100, expecting(NAME)).regex(TRIMMED, expecting(NAME)),
      description: z.string(expecting(DESCRIPTION)).max(255, expecting(DESCRIPTION)).optional(),
      environment: z.enum(["Development", "Staging", "Production"]).optional(),
      provisioningType: z.enum(["on_demand", "reserved"]).default("on_demand"),
    },
    strictObjectError(["name", "description", "environment", "provisioningType"]),
  )
  .transform((p): ProjectConfig => ({ kind: "create", ...p }));

const VLAN_PARENT =
  'the network card the VLAN is tagged on: a link name such as "enp1s0f1", a MAC address such as "0c:c4:7a:00:00:75" or a PCI bus path such as "0000:01:00.1"';
/** A MAC, then a PCI bus path, then a link name: the three never overlap. */
export const vlanParentSchema = z.string(expecting(VLAN_PARENT)).transform((text, ctx): VlanParent => {
  if (MAC_ADDRESS.test(text)) return { mac: text.toLowerCase() };
  if (PCI_BUS_PATH.test(text)) return { busPath: text.toLowerCase() };
  if (LINK_NAME.test(text)) return { interface: text };
  ctx.addIssue({ code: "custom", input: text, message: `expected ${VLAN_PARENT}, got ${show(text)}` });
  return z.NEVER;
});

const NODE_NAME =
  'a node name of at most 20 lower-case letters, digits and "-", starting and ending with a letter or digit';
export const nodeNameSchema = z
  .string(expecting(NODE_NAME))
  .max(20, expecting(NODE_NAME))
  .regex(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/, expecting(NODE_NAME));
const nodeSchema = z.strictObject(
  {
    name: nodeNameSchema,
    role: z.enum(["controlplane", "worker"]).optional(),
    plan: planSchema.optional(),
    allowReplace: z.boolean(expecting("true or false")).optional(),
    // A /dev path or a selector object; checked with the Talos keys (config/talos.ts).
    installDisk: z.unknown().optional(),
    vlanParent: vlanParentSchema.optional(),
  },
  strictObjectError(["name", "role", "plan", "allowReplace", "installDisk", "vlanParent"]),
);
export const nodesSchema = z
  .array(nodeSchema, expectingList(NODES))
  .min(1, expectingList(NODES))
  .max(MAX_NODES, expectingList(NODES));

const PREFIX =
  'a hostname prefix of at most 20 letters, digits, "-" and ".", starting and ending with a letter or digit';
export const prefixSchema = z
  .string(expecting(PREFIX))
  .max(20, expecting(PREFIX))
  .regex(/^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$/, expecting(PREFIX));

const TIMEOUT = "a number of minutes from 0.05 to 240";
export const deployTimeoutSchema = z.number(expecting(TIMEOUT)).min(0.05, expecting(TIMEOUT)).max(240, expecting(TIMEOUT));

const OS = '"ipxe" or an operating system slug (lower-case letters, digits and "_", e.g. "ubuntu_24_04_x64_lts")';
export const osSchema = z
  .string(expecting(OS))
  .max(64, expecting(OS))
  .regex(/^[a-z0-9_]+$/, expecting(OS));

const IPXE_URL = "an https:// URL (e.g. a Talos Image Factory PXE URL)";
export const ipxeUrlSchema = z.string(expecting(IPXE_URL)).refine(isHttpsUrl, expecting(IPXE_URL));

const KEY_NAME = "a key name of 1 to 64 characters, without surrounding spaces";
const PUBLIC_KEY = "an OpenSSH public key (ssh-ed25519, ssh-rsa or ecdsa-sha2-nistp256/384/521, then base64)";
export const sshKeysSchema = z.array(
  z.strictObject(
    {
      name: z.string(expecting(KEY_NAME)).max(64, expecting(KEY_NAME)).regex(TRIMMED, expecting(KEY_NAME)),
      publicKey: z.string(expecting(PUBLIC_KEY)).trim().refine(isOpenSshPublicKey, expecting(PUBLIC_KEY)),
    },
    strictObjectError(["name", "publicKey"]),
  ),
  expecting('a list of SSH keys such as [{"name": ..., "publicKey": ...}]'),
);

export const vlanSchema = z.strictObject(
  {
    description: z.string(expecting(DESCRIPTION)).max(255, expecting(DESCRIPTION)).optional(),
    parent: vlanParentSchema.optional(),
    parentDhcp: z.boolean(expecting("true or false")).optional(),
    subnet: z
      .string(expecting('an IPv4 CIDR such as "10.8.0.0/24"'))
      .superRefine((subnet, ctx) => {
        const parsed = parseIpv4Cidr(subnet);
        if (!parsed.ok)
          ctx.addIssue({ code: "custom", input: subnet, message: `expected ${parsed.expected}, got ${show(subnet)}` });
      })
      .default(DEFAULT_VLAN_SUBNET),
  },
  {
    error: (iss) =>
      strictObjectError(["description", "subnet", "parent", "parentDhcp"]).error(iss) ??
      `expected an object such as {"subnet": "${DEFAULT_VLAN_SUBNET}"}, got ${show(iss.input)}`,
  },
);

export const PROFILES = ["minimal", "standard", "production"] as const;
export const profileSchema = z.enum(PROFILES, expecting('"minimal", "standard" or "production"'));

// GitHub: 1-39 characters, letters, digits and single hyphens, no hyphen at either end.
const ORG = 'a GitHub organization name (at most 39 letters, digits and single "-", not at either end)';
export const githubOrgSchema = z
  .string(expecting(ORG))
  .regex(/^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$/, expecting(ORG));

function isHttpsUrl(text: string): boolean {
  if (/\s/.test(text)) return false;
  try {
    const url = new URL(text);
    return url.protocol === "https:" && url.hostname !== "";
  } catch {
    return false;
  }
}
