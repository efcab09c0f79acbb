// Issue 13, defects 3–5: what a Server records when something fails after Latitude took the
// request, and what the next `up` does with it. Provider calls against the emulator over real HTTP.
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { LatitudeClient } from "../../providers/latitude/client";
import { LatitudeApiError } from "../../providers/latitude/errors";
import { serverProvider } from "../../providers/latitude/serverProvider";
import type { ServerInputs, ServerOutputs } from "../../providers/latitude/serverTypes";
import { startEmulator, type Emulator } from "../../emulator";
import { testServerInputs } from "./serverInputs";
import { freePort } from "../emulator/testing";

const API_KEY = "server-failure-recovery-key";
const UBUNTU = "ubuntu_24_04_x64_lts";
let emulator: Emulator;
let client: LatitudeClient;
let projectId: string;
let seq = 0;

type InitFailure = Error & { id: string; properties: ServerOutputs; reasons: string[] };

function inputs(overrides: Partial<ServerInputs> = {}): ServerInputs {
  const name = `f${++seq}`;
  return testServerInputs({
    projectId,
    nodeName: name,
    hostname: `cto-recover-${name}`,
    stackTag: "cto-metal-recover",
    stackIdentity: "0123456789abcdef",
    talosPort: emulator.talosPort,
    deployTimeoutSeconds: 10,
    ...overrides,
  });
}

const create = (i: ServerInputs) => serverProvider.create(i) as Promise<{ id: string; outs: ServerOutputs }>;
const update = (id: string, olds: ServerOutputs, news: ServerInputs) => serverProvider.update!(id, olds, news) as Promise<{ outs: ServerOutputs }>;
const read = (id: string, props: ServerOutputs) => serverProvider.read!(id, props) as Promise<{ id: string; props: ServerOutputs; inputs?: ServerInputs }>;
const view = (id: string) => emulator.servers().find((s) => s.id === id);

async function until(what: string, holds: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!holds()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Someone reinstalls the server from the dashboard, and Latitude ends it in failed_deployment. */
async function failOutOfBand(id: string): Promise<void> {
  const hostname = view(id)!.hostname;
  emulator.knobs.failDeploy = (h) => h === hostname;
  await client.reinstallServer(id, {});
  await until("failed_deployment", () => view(id)?.status === "failed_deployment");
  emulator.knobs.failDeploy = false;
}

/** A second reinstall that succeeds: Latitude reports the server on again. */
async function recoverOutOfBand(id: string): Promise<void> {
  await client.reinstallServer(id, {});
  await until("on", () => view(id)?.status === "on");
}

beforeAll(async () => {
  emulator = await startEmulator({ deployMs: 150, talosPort: await freePort(), knobs: { reinstallStaleReads: 0 } });
  vi.stubEnv("LATITUDESH_API_URL", emulator.url);
  vi.stubEnv("LATITUDESH_AUTH_TOKEN", API_KEY);
  vi.stubEnv("LATITUDESH_POLL_INTERVAL_MS", "25");
  vi.stubEnv("LATITUDESH_RATE_WINDOW_MS", "1000");
  client = new LatitudeClient({ apiUrl: emulator.url, apiKey: `${API_KEY}-direct` });
  projectId = (await client.createProject({ name: "server-failure-recovery", provisioning_type: "on_demand" })).id;
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await emulator.close();
});
afterEach(() => {
  vi.restoreAllMocks();
  Object.assign(emulator.knobs, { failDeploy: false, stuckDeploy: false, deployMs: 150 });
  emulator.clearLog();
});

describe("defect 3: a failed control plane is never replaced without allowReplace", () => {
  it("refresh records a failed_* status, and clears it once Latitude reports the server on again", async () => {
    const request = inputs({ operatingSystem: UBUNTU, ipxeUrl: undefined });
    const { id, outs } = await create(request);
    await failOutOfBand(id);
    const failed = await read(id, outs);
    expect(failed.props.status).toBe("failed_deployment");
    expect(failed.props.deployFailure).toBe("Latitude reports status failed_deployment");
    await recoverOutOfBand(id);
    const healthy = await read(id, failed.props);
    expect(healthy.props.status).toBe("on");
    expect(healthy.props.deployFailure).toBeNull();
    expect(healthy.inputs).toEqual(request);
    // nothing left to do: the server is the one in state, healthy
    await expect(serverProvider.diff!(id, healthy.props, request)).resolves.toEqual({ changes: false, replaces: [], deleteBeforeReplace: false });
  });

  it("refresh copies the failure into the inputs, so check refuses to replace a failed control plane, naming the node and allowReplace", async () => {
    const request = inputs({ role: "controlplane" });
    const { id, outs } = await create(request);
    await failOutOfBand(id);
    const refreshed = await read(id, outs);
    // the inputs as the program gave them, plus the failure: nothing only Latitude reports
    expect(refreshed.inputs).toEqual({ ...request, deployFailure: "Latitude reports status failed_deployment" });
    const checked = await serverProvider.check!(refreshed.inputs!, request);
    expect(checked.failures).toEqual([
      {
        property: "nodeName",
        reason: `node ${request.nodeName} (${request.hostname}): its deploy failed (Latitude reports status failed_deployment), and replacing this control plane deletes it first and buys a new one; name it explicitly with "allowReplace": true in its cto-metal:nodes entry to replace it, or, once Latitude reports the server on again, run \`pulumi refresh\` to clear the failure`,
      },
    ]);
    // named in config: replaced, the failed one deleted first (same hostname, nothing to keep)
    expect((await serverProvider.check!(refreshed.inputs!, { ...request, allowReplace: true })).failures).toEqual([]);
    await expect(serverProvider.diff!(id, refreshed.props, { ...request, allowReplace: true })).resolves.toEqual({ changes: true, replaces: ["deployFailure"], deleteBeforeReplace: true });
    expect(emulator.requests.filter((r) => r.method === "DELETE")).toEqual([]);
  });

  it("diff never plans the replacement of a failed control plane (and never throws: refresh calls it too); update refuses while it is failed", async () => {
    const request = inputs({ role: "controlplane" });
    const { id, outs } = await create(request);
    await failOutOfBand(id);
    const { props } = await read(id, outs);
    await expect(serverProvider.diff!(id, props, request)).resolves.toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
    emulator.clearLog();
    await expect(update(id, props, request)).rejects.toThrow(
      `node ${request.nodeName} (${request.hostname}, server ${id}): its deploy failed (Latitude reports status failed_deployment), and replacing this control plane`,
    );
    expect(emulator.requests.filter((r) => r.method !== "GET")).toEqual([]);
    expect(view(id)).toBeDefined();
  });

  it("diff replaces a failed worker, deleting it first", async () => {
    const request = inputs();
    const { id, outs } = await create(request);
    await failOutOfBand(id);
    const { props, inputs: stored } = await read(id, outs);
    expect((await serverProvider.check!(stored!, request)).failures).toEqual([]);
    await expect(serverProvider.diff!(id, props, request)).resolves.toEqual({ changes: true, replaces: ["deployFailure"], deleteBeforeReplace: true });
  });

  it("a control plane whose first deploy fails is kept: the next up refuses while it is failed, and continues once it is on", async () => {
    const request = inputs({ role: "controlplane" });
    emulator.knobs.failDeploy = (h) => h === request.hostname;
    const error = (await create(request).catch((e: unknown) => e)) as InitFailure;
    emulator.knobs.failDeploy = false;
    expect(error.properties.deployFailure).toBe("deploy failed: Latitude reports status failed_deployment");
    expect(error.message).toContain(`the next \`pulumi up\` replaces it only once its node has "allowReplace": true`);
    await expect(serverProvider.diff!(error.id, error.properties, request)).resolves.toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
    await expect(update(error.id, error.properties, request)).rejects.toThrow(/"allowReplace": true/);
    await recoverOutOfBand(error.id);
    const { outs } = await update(error.id, error.properties, request);
    expect(outs.deployFailure).toBeNull();
    expect(outs.ready).toBe(true);
    expect(view(error.id)?.talosListening).toBe(true);
  });
});

describe("defect 4: a create that fails after the POST records what is true", () => {
  /** The tag PATCH right after the POST fails (an API error the client does not retry). */
  function failTagPatchOnce(): void {
    vi.spyOn(LatitudeClient.prototype, "updateServer").mockRejectedValueOnce(new LatitudeApiError("PATCH", "/servers/x", 500, [{ code: "INTERNAL_SERVER_ERROR", title: "Internal Server Error" }]));
  }

  it("records the tags actually on the server, so the next up attaches the stack tag", async () => {
    const tag = await client.createTag({ name: "recover-stack-tag" });
    const request = inputs({ tagIds: [tag.id] });
    failTagPatchOnce();
    const error = (await create(request).catch((e: unknown) => e)) as InitFailure;
    expect(error.id).toMatch(/^sv_/);
    expect(error.properties.tagIds).toEqual([]);
    expect(error.properties.deployFailure).toBeNull();
    // the next up: an update that attaches the tag (not a replace)
    const diff = await serverProvider.diff!(error.id, error.properties, request);
    expect(diff).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
    const { outs } = await update(error.id, error.properties, request);
    expect(view(error.id)?.tags).toEqual([tag.id]);
    expect(outs.tagIds).toEqual([tag.id]);
  });

  it("the next up waits until the server is ready, as create does", async () => {
    emulator.knobs.deployMs = 1500;
    const tag = await client.createTag({ name: "recover-wait-tag" });
    const request = inputs({ tagIds: [tag.id] });
    failTagPatchOnce();
    const error = (await create(request).catch((e: unknown) => e)) as InitFailure;
    expect(view(error.id)?.talosListening).toBe(false);
    const { outs } = await update(error.id, error.properties, request);
    // Talos is applied to the server right after this update: it must be up
    expect(view(error.id)?.talosListening).toBe(true);
    expect(outs.deployFailure).toBeNull();
    // and once ready, nothing is left to do
    await expect(serverProvider.diff!(error.id, outs, request)).resolves.toEqual({ changes: false, replaces: [], deleteBeforeReplace: false });
  });
});

describe("defect 5: a failed reinstall records the new OS and the failure", () => {
  it("throws the init failure with the new inputs, so the next up replaces instead of reinstalling again", async () => {
    const request = inputs({ operatingSystem: UBUNTU, ipxeUrl: undefined });
    const { id, outs } = await create(request);
    const news = { ...request, operatingSystem: "debian_12", allowReinstall: true };
    emulator.knobs.failDeploy = (h) => h === request.hostname;
    const error = (await update(id, outs, news).catch((e: unknown) => e)) as InitFailure;
    expect(error.id).toBe(id);
    expect(error.properties.operatingSystem).toBe("debian_12");
    expect(error.properties.deployFailure).toBe("deploy failed: Latitude reports status failed_deployment");
    expect(error.reasons).toEqual([error.message]);
    expect(error.message).toContain(`node ${request.nodeName} (${request.hostname}, server ${id}): reinstall`);
    // the disks are wiped already: the next up replaces the worker, it does not reinstall again
    emulator.clearLog();
    await expect(serverProvider.diff!(id, error.properties, news)).resolves.toEqual({ changes: true, replaces: ["deployFailure"], deleteBeforeReplace: true });
  });

  it("a reinstall the API refuses changes nothing: a plain error, the old state kept", async () => {
    const request = inputs({ operatingSystem: UBUNTU, ipxeUrl: undefined });
    const { id, outs } = await create(request);
    const locked = await fetch(`${emulator.url}/servers/${id}/lock`, { method: "POST", headers: { Authorization: API_KEY } });
    expect(locked.status).toBe(200);
    const error = (await update(id, outs, { ...request, operatingSystem: "debian_12", allowReinstall: true }).catch((e: unknown) => e)) as InitFailure;
    expect(error.message).toMatch(/423/);
    expect(error.id).toBeUndefined();
    await fetch(`${emulator.url}/servers/${id}/unlock`, { method: "POST", headers: { Authorization: API_KEY } });
  });
});
