// The Latitude Server dynamic provider. Money rules: a server that exists is always in state
// (the id is reported even when the deploy fails), a retried create adopts instead of buying a
// second server, and nothing wipes a server unless the config allowed it (serverDecisions.ts).
// This object is serialized into state: dependencies are local modules or require()d inside.
import type * as pulumi from "@pulumi/pulumi";
import type { LatitudeClient } from "./client";
import { isLatitudeApiError, isUnknownOutcome } from "./errors";
import { errorText, initFailure, providerClient, rememberProviderConfig, withEncodableOutputs } from "./providerRuntime";
import { awaitReady, isDeployFailed } from "./readiness";
import type { Server } from "./schemas";
import { diffServer, refusedChanges } from "./serverDecisions";
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

async function findAdoptable(client: LatitudeClient, inputs: ServerInputs): Promise<Server | undefined> {
  const listed = await client.listServers({ project: inputs.projectId, hostname: inputs.hostname });
  return adoptableServers(listed, inputs).sort((a, b) => (a.created_at ?? "").localeCompare(b.created_at ?? ""))[0];
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

function outputsOf(inputs: ServerInputs, server: Server | undefined, id: string, deployFailure: string | null): ServerOutputs {
  return {
    ...inputs,
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

export const serverProvider: pulumi.dynamic.ResourceProvider<ServerInputs, ServerOutputs> = withEncodableOutputs({
  configure(request: pulumi.dynamic.ConfigureRequest): Promise<void> {
    rememberProviderConfig(request.config);
    return Promise.resolve();
  },

  check(olds: ServerInputs, news: ServerInputs): Promise<pulumi.dynamic.CheckResult<ServerInputs>> {
    const failures: pulumi.dynamic.CheckFailure[] = [];
    if (news.operatingSystem === IPXE && !news.ipxeUrl) failures.push({ property: "ipxeUrl", reason: `node ${news.nodeName}: an ipxe server needs an iPXE URL` });
    if (olds && olds.role !== undefined) {
      for (const reason of refusedChanges(olds, news)) failures.push({ property: "nodeName", reason });
    }
    return Promise.resolve({ inputs: news, failures });
  },

  diff(_id: string, olds: ServerOutputs, news: ServerInputs): Promise<pulumi.dynamic.DiffResult> {
    const change = diffServer(olds, news);
    return Promise.resolve({ changes: change.changes, replaces: change.replaces, deleteBeforeReplace: change.deleteBeforeReplace });
  },

  async create(inputs: ServerInputs): Promise<pulumi.dynamic.CreateResult<ServerOutputs>> {
    const client = providerClient();
    const server = await adoptOrCreate(client, inputs);
    // From here on the server exists and costs money: every failure reports its id.
    let latest: Server | undefined = server;
    try {
      // No GET here: an adopted server comes from the list with its tags, a new one has none yet,
      // and the shared poller's next list call brings the full record anyway.
      await syncTags(client, server, inputs.tagIds);
      latest = await waitUntilReady(client, server.id, inputs, false);
      return { id: server.id, outs: outputsOf(inputs, latest, server.id, null) };
    } catch (error) {
      // Only a failed deploy marks the server for replacement; any other error (a tag PATCH, an
      // API hiccup) keeps a healthy server: it is in state with its id, and the next up retries.
      const failedDeploy = isDeployFailed(error);
      if (failedDeploy) latest = error.lastSeen ?? latest;
      const next = failedDeploy ? "the next `pulumi up` replaces it" : "the next `pulumi up` continues with it";
      const reason = `node ${inputs.nodeName} (${inputs.hostname}, server ${server.id}): ${errorText(error)}; the server is kept in state, ${next} and \`pulumi destroy\` deletes it`;
      throw initFailure(server.id, outputsOf(inputs, latest, server.id, failedDeploy ? errorText(error) : null), reason);
    }
  },

  async read(id: string, props?: ServerOutputs): Promise<pulumi.dynamic.ReadResult<ServerOutputs>> {
    if (!props) throw new Error(`importing Latitude server ${id} is not supported: dynamic resources cannot be imported`);
    const server = await providerClient().getServer(id);
    // Deleted behind our back: an empty id tells `pulumi refresh` to drop it from state.
    if (!server) return { id: "", props: {} as ServerOutputs };
    const status = server.status;
    const failed = status.startsWith("failed_") ? `Latitude reports status ${status}` : props.deployFailure;
    return {
      id,
      props: {
        ...props,
        hostname: server.hostname ?? props.hostname,
        primaryIpv4: server.primary_ipv4 ?? props.primaryIpv4,
        primaryIpv6: server.primary_ipv6 ?? null,
        status,
        publicMac: macOf(server, "external") ?? props.publicMac ?? null,
        privateMac: macOf(server, "internal") ?? props.privateMac ?? null,
        deployFailure: failed ?? null,
      },
    };
  },

  async update(id: string, olds: ServerOutputs, news: ServerInputs): Promise<pulumi.dynamic.UpdateResult<ServerOutputs>> {
    // Values unknown at preview are known now: refuse here too, before anything is touched.
    const refused = refusedChanges(olds, news);
    if (refused.length > 0) throw new Error(refused.join("\n"));
    const client = providerClient();
    const change = diffServer(olds, news);
    const patch: Parameters<LatitudeClient["updateServer"]>[1] = {};
    if (change.patch.includes("hostname")) patch.hostname = news.hostname;
    if (change.patch.includes("billing")) patch.billing = news.billing;
    if (change.patch.includes("tagIds")) patch.tags = [...news.tagIds];
    if (change.patch.includes("projectId")) patch.project = news.projectId;
    let server: Server | undefined;
    if (Object.keys(patch).length > 0) server = await client.updateServer(id, patch);
    if (change.reinstall) {
      // check() refused this unless allowReinstall (and allowReplace for a control plane) is set.
      const previousStatus = server?.status ?? olds.status;
      await client.reinstallServer(id, {
        operating_system: news.operatingSystem,
        hostname: news.hostname,
        ...(news.operatingSystem === IPXE ? { ipxe: news.ipxeUrl } : { ssh_keys: news.sshKeyIds }),
      });
      server = await waitUntilReady(client, id, news, true, previousStatus);
    }
    server ??= await client.getServer(id);
    return { outs: outputsOf(news, server, id, null) };
  },

  async delete(id: string, props: ServerOutputs): Promise<void> {
    const client = providerClient();
    try {
      const existed = await client.deleteServer(id);
      if (!existed) return;
    } catch (error) {
      if (isLatitudeApiError(error, 423)) {
        throw new Error(`server ${id} (${props.hostname}) is locked in Latitude and cannot be deleted; unlock it in the dashboard, then run the command again`);
      }
      throw error;
    }
    // Gone from the project's list: only then is the deletion done.
    await client.serverPoller(props.projectId).waitFor(id, (server) => server === undefined, Math.max(60, props.deployTimeoutSeconds) * 1000);
  },
});

