// The Latitude Server dynamic provider. Money rules: a server that exists is always in state
// (the id is reported even when the deploy fails), a retried create adopts this stack's server
// instead of buying a second one (never another stack's: ownership.ts), and nothing wipes a
// server unless the config allowed it (serverDecisions.ts). A replace deletes the old server
// first (server.ts), and a deleted server that lists still show is never a candidate
// (deletions.ts), so a create never finds, and adopts, the server it replaces.
// This object is serialized into state: dependencies are local modules or require()d inside.
import type * as pulumi from "@pulumi/pulumi";
import type { LatitudeClient } from "./client";
import { rememberDeleted, stillExisting } from "./deletions";
import { isLatitudeApiError, isUnknownOutcome } from "./errors";
import { adoptable } from "./ownership";
import { errorText, initFailure, providerClient, rememberProviderConfig, withEncodableOutputs } from "./providerRuntime";
import { awaitReady, isDeployFailed, isPortOpen } from "./readiness";
import type { Server } from "./schemas";
import { deployFailureAfterRead, diffServer, keptHostname, failedControlPlaneRefusal, inputsAfterRead, keepsFailedControlPlane, nextUpAfterFailure, refusedAfterRefresh, refusedChanges, tagsAsSeen } from "./serverDecisions";
import { IPXE, type ServerInputs, type ServerOutputs } from "./serverTypes";

/** Servers of this project and hostname that this node may adopt: same plan and site only. */
export function adoptableServers(candidates: readonly Server[], inputs: Pick<ServerInputs, "hostname" | "plan" | "site">): Server[] {
  return candidates.filter(
    (server) =>
      server.hostname?.toLowerCase() === inputs.hostname.toLowerCase() &&
      server.plan?.slug === inputs.plan &&
      server.region?.site?.slug?.toUpperCase() === inputs.site.toUpperCase(),
  );
}

/**
 * The server this node may adopt: same hostname, plan and site, still existing (a server deleted a
 * moment ago, by this process or another, may stay listed: deletions.ts), and this stack's (its
 * tag, or untagged in a project the stack created: ownership.ts). Hostnames are only names;
 * another stack's server of the same name fails the create, naming it.
 */
async function findAdoptable(client: LatitudeClient, inputs: ServerInputs): Promise<Server | undefined> {
  const listed = await client.listServers({ project: inputs.projectId, hostname: inputs.hostname });
  const existing = await stillExisting("server", adoptableServers(listed, inputs), (id) => client.getServer(id));
  const candidates = existing
    .sort((a, b) => (a.created_at ?? "").localeCompare(b.created_at ?? ""))
    .map((server) => ({ id: server.id, tags: server.tags, server, label: `server ${server.id} (hostname ${server.hostname ?? inputs.hostname}, project ${server.project?.slug ?? inputs.projectId})` }));
  const owner = { subject: `node ${inputs.nodeName} (${inputs.hostname})`, identity: inputs.stackIdentity, projectId: inputs.projectId, stackTag: inputs.stackTag, tagIds: inputs.tagIds, rename: "change cto-metal:hostnamePrefix" };
  return (await adoptable(client, candidates, owner))?.server;
}

/** Adopts a server left by an earlier, interrupted create; otherwise buys one (exactly once). */
async function adoptOrCreate(client: LatitudeClient, inputs: ServerInputs): Promise<Server> {
  const existing = await findAdoptable(client, inputs);
  if (existing) return existing;
  try {
    return await client.createServer({
      project: inputs.projectId,
      plan: inputs.plan,
      site: inputs.site,
      operating_system: inputs.operatingSystem,
      hostname: inputs.hostname,
      billing: inputs.billing,
      ...(inputs.operatingSystem === IPXE ? { ipxe: inputs.ipxeUrl } : { ssh_keys: inputs.sshKeyIds }),
    });
  } catch (error) {
    if (!(isUnknownOutcome(error))) throw error;
    // The POST may have gone through: look before deciding, never POST again.
    for (let attempt = 0; attempt < 5; attempt++) {
      const created = await findAdoptable(client, inputs);
      if (created) return created;
      await new Promise((resolve) => setTimeout(resolve, 1000 * (attempt + 1)));
    }
    throw new Error(`${errorText(error)}; no server named ${inputs.hostname} appeared in the project yet: it may still exist, and the next \`pulumi up\` adopts it instead of buying another`);
  }
}

/** The MAC of the server's NIC with this Latitude role ("external" or "internal"), if listed. */
export function macOf(server: Server | undefined, role: "external" | "internal"): string | null {
  return server?.interfaces?.find((nic) => nic.role === role)?.mac_address ?? null;
}

/** What was seen of the server, when it differs from what the inputs asked for. */
interface Observed {
  /** The tags actually on the server. */
  tagIds: readonly string[];
  ready: boolean;
}

function outputsOf(inputs: ServerInputs, server: Server | undefined, id: string, deployFailure: string | null, observed: Observed = { tagIds: inputs.tagIds, ready: true }): ServerOutputs {
  return {
    ...inputs,
    tagIds: [...observed.tagIds],
    ready: observed.ready,
    serverId: id,
    primaryIpv4: server?.primary_ipv4 ?? "",
    primaryIpv6: server?.primary_ipv6 ?? null,
    status: server?.status ?? "unknown",
    publicMac: macOf(server, "external"),
    privateMac: macOf(server, "internal"),
    deployFailure,
  };
}

async function syncTags(client: LatitudeClient, server: Server, tagIds: readonly string[]): Promise<void> {
  const current = (server.tags ?? []).map((tag) => tag.id).sort();
  if (JSON.stringify(current) !== JSON.stringify([...tagIds].sort())) await client.updateServer(server.id, { tags: [...tagIds] });
}

async function waitUntilReady(client: LatitudeClient, id: string, inputs: ServerInputs, afterReinstall: boolean, previousStatus?: string): Promise<Server> {
  return awaitReady(client.serverPoller(inputs.projectId), id, {
    ipxe: inputs.operatingSystem === IPXE,
    talosPort: inputs.talosPort,
    timeoutMs: inputs.deployTimeoutSeconds * 1000,
    afterReinstall,
    previousStatus,
  });
}

/** What an update was doing when readiness failed, and what the state records because of it. */
interface Doing {
  action: string;
  recorded: string;
}

/**
 * Healthy, so a recorded deploy failure clears: Latitude reports it `on`, or, for an iPXE server
 * (whose status can stay `deploying` while Talos runs), not `failed_*` and the Talos API answers.
 */
async function isHealthy(server: Server, stored: Pick<ServerOutputs, "operatingSystem" | "talosPort">): Promise<boolean> {
  if (server.status === "on") return true;
  if (stored.operatingSystem !== IPXE || server.status.startsWith("failed_") || !server.primary_ipv4) return false;
  return isPortOpen(server.primary_ipv4, stored.talosPort);
}

/** Tag ids of a server as Latitude answered; undefined when the answer has none (a create's). */
function tagIdsOf(server: Server | undefined): string[] | undefined {
  return server?.tags ? server.tags.map((tag) => tag.id) : undefined;
}

/**
 * The init failure of a server that exists but is not ready: the engine keeps its id and these
 * outputs (after an update, with the new inputs), so they say what is true: the tags actually on
 * it, not ready, and the deploy failure when Latitude reported one (or the deadline passed).
 */
function notReady(inputs: ServerInputs, id: string, seen: { server: Server | undefined; tagIds: readonly string[] }, error: unknown, doing?: Doing): Error {
  // Only a failed deploy marks the server for replacement; any other error (a tag PATCH, an API
  // hiccup) keeps a healthy server: the next up continues with it, and waits until it is ready.
  const failedDeploy = isDeployFailed(error);
  const server = (failedDeploy ? error.lastSeen : undefined) ?? seen.server;
  const what = doing ? `${doing.action} did not finish: ${errorText(error)}; ${doing.recorded}` : errorText(error);
  const reason = `node ${inputs.nodeName} (${inputs.hostname}, server ${id}): ${what}; the server is kept in state, ${nextUpAfterFailure(inputs, failedDeploy)} and \`pulumi destroy\` deletes it`;
  const observed = { tagIds: tagsAsSeen(seen.tagIds, tagIdsOf(server)), ready: false };
  return initFailure(id, outputsOf(inputs, server, id, failedDeploy ? errorText(error) : null, observed), reason);
}

/** Waits until the server is ready, as create does; any failure throws `notReady`. */
async function outputsWhenReady(
  client: LatitudeClient,
  id: string,
  inputs: ServerInputs,
  seen: { server: Server | undefined; tagIds: readonly string[] },
  wait: { afterReinstall: boolean; previousStatus?: string; doing?: Doing },
): Promise<ServerOutputs> {
  let server: Server;
  try {
    server = await waitUntilReady(client, id, inputs, wait.afterReinstall, wait.previousStatus);
  } catch (error) {
    throw notReady(inputs, id, seen, error, wait.doing);
  }
  return outputsOf(inputs, server, id, null, { tagIds: tagsAsSeen(seen.tagIds, tagIdsOf(server)), ready: true });
}

export const serverProvider: pulumi.dynamic.ResourceProvider<ServerInputs, ServerOutputs> = withEncodableOutputs({
  configure(request: pulumi.dynamic.ConfigureRequest): Promise<void> {
    rememberProviderConfig(request.config);
    return Promise.resolve();
  },

  check(olds: ServerInputs, news: ServerInputs): Promise<pulumi.dynamic.CheckResult<ServerInputs>> {
    const failures: pulumi.dynamic.CheckFailure[] = [];
    if (news.operatingSystem === IPXE && !news.ipxeUrl) failures.push({ property: "ipxeUrl", reason: `node ${news.nodeName}: an ipxe server needs an iPXE URL` });
    if (olds && olds.role !== undefined) {
      // `olds` are the stored inputs, with the deploy failure a refresh found (read below).
      for (const reason of [...refusedChanges(olds, news), ...refusedAfterRefresh(olds, news)]) failures.push({ property: "nodeName", reason });
    }
    return Promise.resolve({ inputs: { ...news, hostname: keptHostname(olds, news) }, failures });
  },

  diff(_id: string, olds: ServerOutputs, news: ServerInputs): Promise<pulumi.dynamic.DiffResult> {
    // Never throws: `pulumi refresh` calls diff too (to show drift), and must always work.
    const change = diffServer(olds, news);
    return Promise.resolve({ changes: change.changes, replaces: change.replaces, deleteBeforeReplace: change.deleteBeforeReplace });
  },

  async create(inputs: ServerInputs): Promise<pulumi.dynamic.CreateResult<ServerOutputs>> {
    const client = providerClient();
    const server = await adoptOrCreate(client, inputs);
    // From here on the server exists and costs money: every failure reports its id, with outputs
    // that say what was seen. No GET here: an adopted server comes from the list with its tags, a
    // new one has none yet, and the shared poller's next list call brings the full record anyway.
    let tagIds = tagIdsOf(server) ?? [];
    try {
      await syncTags(client, server, inputs.tagIds);
      tagIds = [...inputs.tagIds];
    } catch (error) {
      throw notReady(inputs, server.id, { server, tagIds }, error);
    }
    return { id: server.id, outs: await outputsWhenReady(client, server.id, inputs, { server, tagIds }, { afterReinstall: false }) };
  },

  async read(id: string, props?: ServerOutputs): Promise<pulumi.dynamic.ReadResult<ServerOutputs>> {
    if (!props) throw new Error(`importing Latitude server ${id} is not supported: dynamic resources cannot be imported`);
    const server = await providerClient().getServer(id);
    // Deleted behind our back: an empty id tells `pulumi refresh` to drop it from state.
    if (!server) return { id: "", props: {} as ServerOutputs };
    const status = server.status;
    const deployFailure = deployFailureAfterRead(props.deployFailure, status, await isHealthy(server, props));
    // check() sees only stored inputs: a failure found (or cleared) here goes into them too, so the
    // next preview refuses to replace a failed control plane before anything is planned.
    const inputs = deployFailure || props.deployFailure ? inputsAfterRead(props, deployFailure) : undefined;
    return {
      id,
      // (The SDK types `inputs` with the outputs' type; the engine takes any properties.)
      ...(inputs && { inputs: inputs as unknown as ServerOutputs }),
      props: {
        ...props,
        hostname: server.hostname ?? props.hostname,
        primaryIpv4: server.primary_ipv4 ?? props.primaryIpv4,
        primaryIpv6: server.primary_ipv6 ?? null,
        status,
        publicMac: macOf(server, "external") ?? props.publicMac ?? null,
        privateMac: macOf(server, "internal") ?? props.privateMac ?? null,
        // What is on the server: a tag removed behind our back is attached again by the next up.
        tagIds: tagsAsSeen(props.tagIds, tagIdsOf(server)),
        deployFailure,
      },
    };
  },

  async update(id: string, olds: ServerOutputs, news: ServerInputs): Promise<pulumi.dynamic.UpdateResult<ServerOutputs>> {
    // Values unknown at preview are known now: refuse here too, before anything is touched.
    const refused = refusedChanges(olds, news);
    if (refused.length > 0) throw new Error(refused.join("\n"));
    const client = providerClient();
    if (keepsFailedControlPlane(news, olds.deployFailure)) {
      // diff() planned this update instead of a replace: go on only if the server is healthy now.
      const now = await client.getServer(id);
      if (!now || !(await isHealthy(now, olds))) {
        const failure = !now || olds.deployFailure.includes(now.status) ? olds.deployFailure : `${olds.deployFailure}; Latitude now reports status ${now.status}`;
        throw new Error(failedControlPlaneRefusal(`node ${news.nodeName} (${news.hostname}, server ${id})`, failure));
      }
    }
    const change = diffServer({ ...olds, deployFailure: null }, news);
    const patch: Parameters<LatitudeClient["updateServer"]>[1] = {};
    if (change.patch.includes("hostname")) patch.hostname = news.hostname;
    if (change.patch.includes("billing")) patch.billing = news.billing;
    if (change.patch.includes("tagIds")) patch.tags = [...news.tagIds];
    if (change.patch.includes("projectId")) patch.project = news.projectId;
    // A failed PATCH (or a refused reinstall below) changed nothing for good: a plain error keeps
    // the state as it was, and the next up does the same again.
    let server: Server | undefined;
    if (Object.keys(patch).length > 0) server = await client.updateServer(id, patch);
    const seen = { server, tagIds: tagsAsSeen(change.patch.includes("tagIds") ? news.tagIds : olds.tagIds, tagIdsOf(server)) };
    if (change.reinstall) {
      // check() refused this unless allowReinstall (and allowReplace for a control plane) is set.
      const previousStatus = server?.status ?? olds.status;
      await client.reinstallServer(id, {
        operating_system: news.operatingSystem,
        hostname: news.hostname,
        ...(news.operatingSystem === IPXE ? { ipxe: news.ipxeUrl } : { ssh_keys: news.sshKeyIds }),
      });
      // The disks are being wiped: from here, whatever happens, the state records the new inputs.
      const doing = { action: `reinstall with ${news.operatingSystem}`, recorded: "its disks are wiped, so the state records the new operating system" };
      return { outs: await outputsWhenReady(client, id, news, seen, { afterReinstall: true, previousStatus, doing }) };
    }
    // The last create or update ended before the server was ready: wait, as create does, so that
    // nothing (Talos) is applied to a server still deploying.
    if (olds.ready === false || olds.deployFailure) return { outs: await outputsWhenReady(client, id, news, seen, { afterReinstall: false }) };
    server ??= await client.getServer(id);
    return { outs: outputsOf(news, server, id, null, { tagIds: tagsAsSeen(seen.tagIds, tagIdsOf(server)), ready: true }) };
  },

  async delete(id: string, props: ServerOutputs): Promise<void> {
    try {
      // 204: deleted; 404: gone already. Either way, done: the next GET answers 404 (about 2 s
      // later in the recordings), while lists may keep showing the server for an unrecorded
      // while, with any status (latitude-api.md §8.2, §19). Latitude's Terraform provider does not
      // wait either. Waiting for the list would hold `destroy` (and every delete-first replace)
      // hostage to that lag; the create that follows a replace skips deleted servers instead.
      await providerClient().deleteServer(id);
      rememberDeleted("server", id);
    } catch (error) {
      if (isLatitudeApiError(error, 423)) {
        throw new Error(`server ${id} (${props.hostname}) is locked in Latitude and cannot be deleted; unlock it in the dashboard, then run the command again`);
      }
      throw error;
    }
  },
});
