// The Latitude VLAN (virtual network) dynamic provider. VLANs can be duplicated freely, so the
// description is deterministic and names the stack: before a POST, a VLAN of this project and site
// with exactly this description is adopted (as the Cluster API provider does), when it is this
// stack's (ownership.ts). Deleting waits for the server assignments to drain: Latitude answers
// 406 until they have.
// This object is serialized into state: dependencies are local modules or require()d inside.
import type * as pulumi from "@pulumi/pulumi";
import type { LatitudeClient } from "./client";
import { isLatitudeApiError, isUnknownOutcome } from "./errors";
import { adoptable } from "./ownership";
import { errorText, pollIntervalMs, providerClient, rememberProviderConfig, withEncodableOutputs } from "./providerRuntime";
import type { VirtualNetwork } from "./schemas";
import { UNKNOWN } from "./serverDecisions";

/** How long delete waits for assignments to drain; the Terraform provider waits 5 minutes too. */
export const VLAN_DELETE_TIMEOUT_SECONDS = 300;

export interface VirtualNetworkInputs {
  /** Bumped with the provider code, so the engine stores the new code in state. */
  providerVersion: string;
  projectId: string;
  /** Site slug, e.g. "MIA2"; VLANs are per site. */
  site: string;
  /** Deterministic and naming the stack: the key that makes a retried create adopt, not duplicate. */
  description: string;
  /** Latitude tag ids; the set replaces whatever the VLAN carried. Absent: none. */
  tagIds?: string[];
  /** The stack's identity (stackIdentityProvider.ts): only a VLAN carrying it is ever adopted. */
  stackIdentity: string;
  /** How long delete waits for server assignments to drain (default 300). */
  timeoutSeconds?: number;
}

export interface VirtualNetworkOutputs extends VirtualNetworkInputs {
  vlanId: string;
  /** The 802.1Q tag the servers' sub-interfaces use. */
  vid: number;
  /** "SITE-VID", e.g. "MIA2-2000". */
  name: string;
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);
/** Order-insensitive; absent means none; a list not known yet (preview) differs. */
function sameIds(a: unknown, b: unknown): boolean {
  const x: unknown = a ?? [];
  const y: unknown = b ?? [];
  return Array.isArray(x) && Array.isArray(y) ? same([...(x as string[])].sort(), [...(y as string[])].sort()) : same(x, y);
}
const sameSite = (a: string | null | undefined, b: string | null | undefined): boolean => (a ?? "").toUpperCase() === (b ?? "").toUpperCase();
const tagIdsOf = (vlan: VirtualNetwork): string[] => (vlan.tags ?? []).map((tag) => tag.id);
const siteOf = (vlan: VirtualNetwork): string | undefined => vlan.site ?? vlan.region?.site?.slug ?? undefined;
/** Not in the schema (loose object): present on reads, absent on the create response. */
const createdAt = (vlan: VirtualNetwork): string => (typeof vlan["created_at"] === "string" ? vlan["created_at"] : "");
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** The oldest VLAN of this project and site with exactly our description, if it is this stack's. */
async function findOurs(client: LatitudeClient, inputs: VirtualNetworkInputs): Promise<VirtualNetwork | undefined> {
  const listed = await client.listVirtualNetworks({ project: inputs.projectId, location: inputs.site });
  const candidates = listed
    .filter((vlan) => vlan.description === inputs.description && sameSite(siteOf(vlan), inputs.site) && (vlan.project?.id ?? inputs.projectId) === inputs.projectId)
    .sort((a, b) => createdAt(a).localeCompare(createdAt(b)))
    .map((vlan) => ({ id: vlan.id, tags: vlan.tags, vlan, label: `VLAN ${vlan.id} (vid ${vlan.vid}, "${vlan.description ?? ""}", project ${vlan.project?.slug ?? inputs.projectId})` }));
  const owner = { subject: `VLAN "${inputs.description}" in ${inputs.site}`, identity: inputs.stackIdentity, projectId: inputs.projectId, tagIds: inputs.tagIds ?? [], rename: "set another cto-metal:vlan description" };
  return (await adoptable(client, candidates, owner))?.vlan;
}

async function adoptOrCreate(client: LatitudeClient, inputs: VirtualNetworkInputs): Promise<VirtualNetwork> {
  const existing = await findOurs(client, inputs);
  if (existing) return existing;
  try {
    return await client.createVirtualNetwork({ site: inputs.site, project: inputs.projectId, description: inputs.description });
  } catch (error) {
    if (!(isUnknownOutcome(error))) throw error;
    // The POST may have gone through: look before deciding, never POST twice.
    const created = await findOurs(client, inputs);
    if (created) return created;
    throw new Error(`${errorText(error)}; no VLAN described "${inputs.description}" appeared in ${inputs.site} afterwards, so run the command again`);
  }
}

function outputsOf(inputs: VirtualNetworkInputs, vlan: VirtualNetwork, name?: string): VirtualNetworkOutputs {
  return {
    ...inputs,
    tagIds: tagIdsOf(vlan),
    description: vlan.description ?? inputs.description,
    vlanId: vlan.id,
    vid: vlan.vid,
    // Only the create response carries the name; reads have region and vid instead.
    name: vlan.name ?? name ?? `${(siteOf(vlan) ?? inputs.site).toUpperCase()}-${vlan.vid}`,
  };
}

/** What the change means: replaced (project, site) or patched (description, tags). */
export function diffVirtualNetwork(olds: VirtualNetworkOutputs, news: VirtualNetworkInputs): { replaces: string[]; patch: Array<"description" | "tagIds">; changes: boolean } {
  const replaces: string[] = [];
  if (olds.projectId !== news.projectId) replaces.push("projectId");
  if (news.site === UNKNOWN || !sameSite(olds.site, news.site)) replaces.push("site");
  const patch: Array<"description" | "tagIds"> = [];
  if (olds.description !== news.description) patch.push("description");
  if (!sameIds(olds.tagIds, news.tagIds)) patch.push("tagIds");
  const bookkeeping = olds.providerVersion !== news.providerVersion || olds.timeoutSeconds !== news.timeoutSeconds;
  return { replaces, patch, changes: replaces.length > 0 || patch.length > 0 || bookkeeping };
}

/** Who still holds the VLAN, for an error a user can act on. */
async function holders(client: LatitudeClient, vlanId: string): Promise<string> {
  try {
    const assignments = await client.listVlanAssignments({ virtual_network_id: vlanId });
    return assignments.map((a) => `${a.server?.hostname ?? a.server?.id ?? a.server_id ?? "?"} (${a.id}, ${a.status})`).join(", ") || "none listed";
  } catch {
    return "unknown";
  }
}

export const virtualNetworkProvider: pulumi.dynamic.ResourceProvider<VirtualNetworkInputs, VirtualNetworkOutputs> = withEncodableOutputs({
  configure(request: pulumi.dynamic.ConfigureRequest): Promise<void> {
    rememberProviderConfig(request.config);
    return Promise.resolve();
  },

  check(_olds: VirtualNetworkInputs, news: VirtualNetworkInputs): Promise<pulumi.dynamic.CheckResult<VirtualNetworkInputs>> {
    const failures: pulumi.dynamic.CheckFailure[] = [];
    if (news.description !== UNKNOWN && (typeof news.description !== "string" || news.description.trim() === "")) {
      failures.push({ property: "description", reason: "a VLAN needs a deterministic description naming the stack: it is what a retried create adopts by" });
    }
    if (news.site !== UNKNOWN && (typeof news.site !== "string" || news.site.trim() === "")) failures.push({ property: "site", reason: "a VLAN needs a site slug such as MIA2" });
    const timeout = news.timeoutSeconds as unknown;
    if (timeout !== undefined && timeout !== UNKNOWN && !(typeof timeout === "number" && timeout > 0)) {
      failures.push({ property: "timeoutSeconds", reason: `expected a positive number of seconds, got ${JSON.stringify(timeout)}` });
    }
    return Promise.resolve({ inputs: { ...news, tagIds: news.tagIds ?? [] }, failures });
  },

  diff(_id: string, olds: VirtualNetworkOutputs, news: VirtualNetworkInputs): Promise<pulumi.dynamic.DiffResult> {
    const change = diffVirtualNetwork(olds, news);
    // Delete-first, as the resource always is (virtualNetwork.ts): a create-first would adopt the old VLAN.
    return Promise.resolve({ changes: change.changes, replaces: change.replaces, deleteBeforeReplace: change.replaces.length > 0 });
  },

  async create(inputs: VirtualNetworkInputs): Promise<pulumi.dynamic.CreateResult<VirtualNetworkOutputs>> {
    const client = providerClient();
    const vlan = await adoptOrCreate(client, inputs);
    let latest = vlan;
    if (!sameIds(tagIdsOf(vlan), inputs.tagIds)) latest = await client.updateVirtualNetwork(vlan.id, { tags: [...(inputs.tagIds ?? [])] });
    return { id: vlan.id, outs: outputsOf(inputs, latest, vlan.name ?? undefined) };
  },

  async read(id: string, props?: VirtualNetworkOutputs): Promise<pulumi.dynamic.ReadResult<VirtualNetworkOutputs>> {
    if (!props) throw new Error(`importing Latitude VLAN ${id} is not supported: dynamic resources cannot be imported`);
    const vlan = await providerClient().getVirtualNetwork(id);
    // Deleted behind our back: an empty id tells `pulumi refresh` to drop it from state.
    if (!vlan) return { id: "", props: {} as VirtualNetworkOutputs };
    return { id, props: { ...props, vid: vlan.vid, description: vlan.description ?? "", tagIds: tagIdsOf(vlan) } };
  },

  async update(id: string, olds: VirtualNetworkOutputs, news: VirtualNetworkInputs): Promise<pulumi.dynamic.UpdateResult<VirtualNetworkOutputs>> {
    const change = diffVirtualNetwork(olds, news);
    const patch: Parameters<LatitudeClient["updateVirtualNetwork"]>[1] = {};
    if (change.patch.includes("description")) patch.description = news.description;
    if (change.patch.includes("tagIds")) patch.tags = [...(news.tagIds ?? [])];
    if (Object.keys(patch).length === 0) return { outs: { ...olds, ...news, vlanId: id, vid: olds.vid, name: olds.name } };
    try {
      return { outs: outputsOf(news, await providerClient().updateVirtualNetwork(id, patch), olds.name) };
    } catch (error) {
      if (isLatitudeApiError(error, 404)) {
        throw new Error(`Latitude VLAN ${id} (${olds.name}) no longer exists; run \`pulumi refresh\` to drop it from state, then \`pulumi up\` creates it again`);
      }
      throw error;
    }
  },

  async delete(id: string, props: VirtualNetworkOutputs): Promise<void> {
    const client = providerClient();
    const timeoutMs = (props.timeoutSeconds ?? VLAN_DELETE_TIMEOUT_SECONDS) * 1000;
    const deadline = Date.now() + timeoutMs;
    // 5 s → 30 s against the real API (as Terraform); the emulator's short interval shortens it.
    let delay = Math.min(5000, pollIntervalMs());
    for (;;) {
      try {
        // false (404) means already gone, which is what we wanted.
        await client.deleteVirtualNetwork(id);
        return;
      } catch (error) {
        if (!(isLatitudeApiError(error, 406))) throw error;
        if (Date.now() + delay > deadline) {
          throw new Error(
            `VLAN ${id} (${props.name}) still has server assignments after ${Math.round(timeoutMs / 1000)} s (${await holders(client, id)}); remove them, or wait for them to drain, then run the command again`,
          );
        }
      }
      await sleep(delay);
      delay = Math.min(30_000, Math.ceil(delay * 1.5));
    }
  },
});
