// The Latitude VLAN assignment (server ↔ VLAN) dynamic provider. Assigning is asynchronous
// (connecting → connected) and so is removing (the item stays listed for a while). There is no
// single GET: everything is read through the list filtered by VLAN, and every assignment waiting
// on one VLAN is answered by one shared poller, so N nodes cost one list call per tick, not N.
// This object is serialized into state: dependencies are local modules or require()d inside.
import type * as pulumi from "@pulumi/pulumi";
import type { LatitudeClient } from "./client";
import { isUnknownOutcome } from "./errors";
import { errorText, initFailure, pollIntervalMs, providerClient, rememberProviderConfig, withEncodableOutputs } from "./providerRuntime";
import type { VlanAssignment } from "./schemas";
import { UNKNOWN } from "./serverDecisions";
import { sharedState } from "./sharedState";
import { isPollTimeout, StatusPoller } from "./statusPoller";

/** Terraform waits 2 minutes for an assignment to connect, and as long for it to go. */
export const VLAN_ASSIGNMENT_TIMEOUT_SECONDS = 120;
export const CONNECTED = "connected";
/** Being removed: no longer ours to adopt. */
const DISCONNECTING = "disconnecting";

export interface VlanAssignmentInputs {
  /** Bumped with the provider code, so the engine stores the new code in state. */
  providerVersion: string;
  serverId: string;
  virtualNetworkId: string;
  /** How long create waits for `connected` and delete for the removal (default 120). */
  timeoutSeconds?: number;
}

export interface VlanAssignmentOutputs extends VlanAssignmentInputs {
  assignmentId: string;
  vid: number | null;
  /** "connected" once usable; anything else after a failed create, which the next up replaces. */
  status: string;
}

const timeoutMsOf = (inputs: VlanAssignmentInputs): number => (inputs.timeoutSeconds ?? VLAN_ASSIGNMENT_TIMEOUT_SECONDS) * 1000;
const seconds = (ms: number): string => (ms >= 1000 ? `${Math.round(ms / 1000)} s` : `${ms} ms`);
const serverIdOf = (a: VlanAssignment): string | undefined => a.server?.id ?? a.server_id ?? undefined;

/** One poller per API key and VLAN, shared by every provider in the process (globalThis). */
function assignmentPoller(client: LatitudeClient, virtualNetworkId: string): StatusPoller<VlanAssignment> {
  const pollers = sharedState().pollers;
  const interval = pollIntervalMs();
  const key = `${client.transport.apiUrl}|${client.transport.keyId}|vlan-assignments|${virtualNetworkId}|${interval}`;
  let poller = pollers.get(key) as StatusPoller<VlanAssignment> | undefined;
  if (!poller) {
    poller = new StatusPoller<VlanAssignment>(() => client.listVlanAssignments({ virtual_network_id: virtualNetworkId }), interval);
    pollers.set(key, poller as never);
  }
  return poller;
}

async function findOurs(client: LatitudeClient, inputs: VlanAssignmentInputs): Promise<VlanAssignment | undefined> {
  const listed = await client.listVlanAssignments({ server: inputs.serverId, virtual_network_id: inputs.virtualNetworkId });
  return listed.find((a) => serverIdOf(a) === inputs.serverId && (a.virtual_network_id ?? inputs.virtualNetworkId) === inputs.virtualNetworkId && a.status !== DISCONNECTING);
}

async function adoptOrCreate(client: LatitudeClient, inputs: VlanAssignmentInputs): Promise<VlanAssignment> {
  const existing = await findOurs(client, inputs);
  if (existing) return existing;
  try {
    return await client.createVlanAssignment(inputs.serverId, inputs.virtualNetworkId);
  } catch (error) {
    if (!(isUnknownOutcome(error))) throw error;
    // The POST may have gone through: look before deciding, never POST twice.
    const created = await findOurs(client, inputs);
    if (created) return created;
    throw new Error(`${errorText(error)}; no assignment of server ${inputs.serverId} to VLAN ${inputs.virtualNetworkId} appeared afterwards, so run the command again`);
  }
}

function outputsOf(inputs: VlanAssignmentInputs, id: string, seen: VlanAssignment | undefined, fallback?: VlanAssignmentOutputs): VlanAssignmentOutputs {
  return { ...inputs, assignmentId: id, vid: seen?.vid ?? fallback?.vid ?? null, status: seen?.status ?? fallback?.status ?? "unknown" };
}

/** Resolves once the assignment reports `connected`; PollTimeoutError after the timeout. */
async function waitConnected(client: LatitudeClient, id: string, inputs: VlanAssignmentInputs): Promise<VlanAssignment | undefined> {
  return assignmentPoller(client, inputs.virtualNetworkId).waitFor(id, (a) => a?.status === CONNECTED, timeoutMsOf(inputs));
}

/** What the change means. Server and VLAN identify the assignment: changing either replaces it. */
export function diffVlanAssignment(olds: VlanAssignmentOutputs, news: VlanAssignmentInputs): { replaces: string[]; deleteBeforeReplace: boolean; changes: boolean } {
  const replaces = (["serverId", "virtualNetworkId"] as const).filter((key) => news[key] === UNKNOWN || olds[key] !== news[key]);
  // Never connected (a failed create kept in state): remove it first, since the same server and
  // VLAN cannot hold two assignments, then assign again.
  if (olds.status !== CONNECTED && replaces.length === 0) return { replaces: ["status"], deleteBeforeReplace: true, changes: true };
  // The timeout and version are bookkeeping, stored without an API call. Replacing for them would
  // make the new assignment adopt the old one, and the old one's delete remove it.
  const bookkeeping = olds.providerVersion !== news.providerVersion || olds.timeoutSeconds !== news.timeoutSeconds;
  return { replaces: [...replaces], deleteBeforeReplace: false, changes: replaces.length > 0 || bookkeeping };
}

export const vlanAssignmentProvider: pulumi.dynamic.ResourceProvider<VlanAssignmentInputs, VlanAssignmentOutputs> = withEncodableOutputs({
  configure(request: pulumi.dynamic.ConfigureRequest): Promise<void> {
    rememberProviderConfig(request.config);
    return Promise.resolve();
  },

  check(_olds: VlanAssignmentInputs, news: VlanAssignmentInputs): Promise<pulumi.dynamic.CheckResult<VlanAssignmentInputs>> {
    const failures: pulumi.dynamic.CheckFailure[] = [];
    for (const key of ["serverId", "virtualNetworkId"] as const) {
      if (typeof news[key] !== "string" || news[key].trim() === "") failures.push({ property: key, reason: `a VLAN assignment needs ${key}` });
    }
    const timeout = news.timeoutSeconds as unknown;
    if (timeout !== undefined && timeout !== UNKNOWN && !(typeof timeout === "number" && timeout > 0)) {
      failures.push({ property: "timeoutSeconds", reason: `expected a positive number of seconds, got ${JSON.stringify(timeout)}` });
    }
    return Promise.resolve({ inputs: news, failures });
  },

  diff(_id: string, olds: VlanAssignmentOutputs, news: VlanAssignmentInputs): Promise<pulumi.dynamic.DiffResult> {
    return Promise.resolve(diffVlanAssignment(olds, news));
  },

  async create(inputs: VlanAssignmentInputs): Promise<pulumi.dynamic.CreateResult<VlanAssignmentOutputs>> {
    const client = providerClient();
    const assignment = await adoptOrCreate(client, inputs);
    // From here on the assignment exists: every failure reports its id, so destroy removes it.
    let lastSeen: VlanAssignment | undefined = assignment;
    try {
      if (assignment.status !== CONNECTED) lastSeen = await waitConnected(client, assignment.id, inputs);
      return { id: assignment.id, outs: outputsOf(inputs, assignment.id, lastSeen ?? assignment) };
    } catch (error) {
      if (isPollTimeout(error)) lastSeen = (error.lastSeen as VlanAssignment | undefined) ?? lastSeen;
      const why = isPollTimeout(error) ? `did not connect within ${seconds(timeoutMsOf(inputs))} (last status: ${lastSeen?.status ?? "not listed"})` : errorText(error);
      const reason = `VLAN assignment ${assignment.id} of server ${inputs.serverId} to VLAN ${inputs.virtualNetworkId} ${why}; it is kept in state, the next \`pulumi up\` replaces it and \`pulumi destroy\` removes it`;
      throw initFailure(assignment.id, outputsOf(inputs, assignment.id, lastSeen ?? assignment), reason);
    }
  },

  async read(id: string, props?: VlanAssignmentOutputs): Promise<pulumi.dynamic.ReadResult<VlanAssignmentOutputs>> {
    if (!props) throw new Error(`importing Latitude VLAN assignment ${id} is not supported: dynamic resources cannot be imported`);
    const listed = await providerClient().listVlanAssignments({ server: props.serverId, virtual_network_id: props.virtualNetworkId });
    const assignment = listed.find((a) => a.id === id);
    // Removed behind our back: an empty id tells `pulumi refresh` to drop it from state.
    if (!assignment) return { id: "", props: {} as VlanAssignmentOutputs };
    return { id, props: { ...props, vid: assignment.vid ?? props.vid, status: assignment.status } };
  },

  update(id: string, olds: VlanAssignmentOutputs, news: VlanAssignmentInputs): Promise<pulumi.dynamic.UpdateResult<VlanAssignmentOutputs>> {
    // diff sends every API-visible change to a replacement: what is left is bookkeeping.
    return Promise.resolve({ outs: outputsOf(news, id, undefined, olds) });
  },

  async delete(id: string, props: VlanAssignmentOutputs): Promise<void> {
    const client = providerClient();
    // false (404) means already gone, which is what we wanted.
    if (!(await client.deleteVlanAssignment(id))) return;
    // Removal is asynchronous, and the VLAN cannot be deleted while the assignment is listed.
    try {
      await assignmentPoller(client, props.virtualNetworkId).waitFor(id, (a) => a === undefined, timeoutMsOf(props));
    } catch (error) {
      if (!(isPollTimeout(error))) throw error;
      throw new Error(
        `VLAN assignment ${id} of server ${props.serverId} is still listed ${seconds(timeoutMsOf(props))} after its removal was requested (status: ${error.lastSeen?.status ?? "unknown"}); run the command again to keep waiting`,
      );
    }
  },
});
