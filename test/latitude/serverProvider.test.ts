// The Server provider called directly, against the emulator over real HTTP.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { LatitudeClient } from "../../providers/latitude/client";
import { serverProvider } from "../../providers/latitude/serverProvider";
import type { ServerInputs, ServerOutputs } from "../../providers/latitude/serverTypes";
import { startEmulator, type Emulator } from "../../emulator";
import { TEST_IPXE_URL, testServerInputs } from "./serverInputs";
import { freePort } from "../emulator/testing";

const API_KEY = "server-provider-test-key";
const STACK_IDENTITY = "0123456789abcdef";
let emulator: Emulator;
let client: LatitudeClient;
let projectId: string;
let seq = 0;

type InitFailure = Error & { id: string; properties: ServerOutputs; reasons: string[] };

function inputs(overrides: Partial<ServerInputs> = {}): ServerInputs {
  const name = `n${++seq}`;
  return testServerInputs({
    projectId,
    nodeName: name,
    hostname: `cto-test-${name}`,
    stackTag: "cto-metal-test",
    stackIdentity: STACK_IDENTITY,
    talosPort: emulator.talosPort,
    deployTimeoutSeconds: 5,
    ...overrides,
  });
}

const create = (i: ServerInputs) => serverProvider.create(i) as Promise<{ id: string; outs: ServerOutputs }>;
const posts = () => emulator.requests.filter((r) => r.method === "POST" && r.path === "/servers");

beforeAll(async () => {
  emulator = await startEmulator({ deployMs: 150, talosPort: await freePort() });
  vi.stubEnv("LATITUDESH_API_URL", emulator.url);
  vi.stubEnv("LATITUDESH_AUTH_TOKEN", API_KEY);
  vi.stubEnv("LATITUDESH_POLL_INTERVAL_MS", "25");
  // Polling every 25 ms needs a read budget counted per second, not per minute.
  vi.stubEnv("LATITUDESH_RATE_WINDOW_MS", "1000");
  client = new LatitudeClient({ apiUrl: emulator.url, apiKey: `${API_KEY}-direct` });
  // This stack's project: an untagged leftover in it is ours (providers/latitude/ownership.ts).
  projectId = (await client.createProject({ name: "server-provider", provisioning_type: "on_demand", description: `owned by Pulumi stack cto-metal-test (stack identity ${STACK_IDENTITY})` })).id;
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await emulator.close();
});
afterEach(() => {
  Object.assign(emulator.knobs, { failDeploy: false, stuckDeploy: false, loseNextServerPosts: 0, rateLimit: false });
  emulator.clearLog();
});

describe("create", () => {
  it("boots an iPXE server and calls it ready when the Talos API answers", async () => {
    const { id, outs } = await create(inputs());
    expect(id).toMatch(/^sv_/);
    expect(outs.serverId).toBe(id);
    expect(outs.primaryIpv4).toMatch(/^127\./);
    expect(outs.deployFailure).toBeNull();
    expect(emulator.servers().find((s) => s.id === id)?.talosListening).toBe(true);
    // as every recorded real answer: no `interfaces` attribute, so no MAC is known
    expect(outs.publicMac).toBeNull();
    expect(outs.privateMac).toBeNull();
  });

  it.each([
    ["empty", null],
    ["specExample", /^0c:c4:7a(:[0-9a-f]{2}){3}$/],
  ] as const)("takes the private card's MAC from role internal, when Latitude lists one (interfaces %s)", async (shape, privateMac) => {
    emulator.knobs.interfaceShape = shape;
    try {
      const { outs } = await create(inputs({ hostname: `shape-${shape.toLowerCase()}` }));
      if (privateMac === null) expect(outs.privateMac).toBeNull();
      else expect(outs.privateMac).toMatch(privateMac);
      // the schema's role "external" is in no example and no recording
      expect(outs.publicMac).toBeNull();
    } finally {
      emulator.knobs.interfaceShape = "absent";
    }
  });

  it("calls an OS server ready at status on", async () => {
    const { outs } = await create(inputs({ operatingSystem: "ubuntu_24_04_x64_lts", ipxeUrl: undefined }));
    expect(outs.status).toBe("on");
  });

  it("attaches the stack tag right after create", async () => {
    const tag = await client.createTag({ name: "server-provider-tag" });
    const { id } = await create(inputs({ tagIds: [tag.id] }));
    expect(emulator.servers().find((s) => s.id === id)?.tags).toEqual([tag.id]);
  });

  it("keeps the id of a failed deploy, and the next diff replaces it (delete first)", async () => {
    emulator.knobs.failDeploy = true;
    const request = inputs();
    const error = (await create(request).catch((e: unknown) => e)) as InitFailure;
    expect(error.id).toMatch(/^sv_/);
    expect(error.properties.deployFailure).toBe("deploy failed: Latitude reports status failed_deployment");
    expect(error.message).toContain(`server ${error.id}`);
    expect(error.message).toContain("the server is kept in state");
    const diff = await serverProvider.diff!(error.id, error.properties, request);
    expect(diff).toEqual({ changes: true, replaces: ["deployFailure"], deleteBeforeReplace: true });
  });

  it("reports a stuck deploy with its id once the timeout passes", async () => {
    emulator.knobs.stuckDeploy = true;
    const error = (await create(inputs({ deployTimeoutSeconds: 1 })).catch((e: unknown) => e)) as InitFailure;
    expect(error.id).toMatch(/^sv_/);
    expect(error.properties.deployFailure).toMatch(/^deploy timed out after 1 s: the Talos API on 127\.[\d.]+:\d+ never answered \(last Latitude status: deploying\)$/);
  });

  it("buys exactly one server when the POST's response is lost", async () => {
    emulator.knobs.loseNextServerPosts = 1;
    const request = inputs();
    const { id } = await create(request);
    expect(posts()).toHaveLength(1);
    expect(emulator.servers().filter((s) => s.hostname === request.hostname).map((s) => s.id)).toEqual([id]);
  });

  it("adopts the server an interrupted create left behind, without a POST", async () => {
    const request = inputs();
    const orphan = await client.createServer({ project: projectId, plan: request.plan, site: request.site, operating_system: "ipxe", ipxe: TEST_IPXE_URL, hostname: request.hostname, billing: "hourly" });
    emulator.clearLog();
    const { id } = await create(request);
    expect(id).toBe(orphan.id);
    expect(posts()).toHaveLength(0);
  });

  it("does not adopt a same-named server with another plan", async () => {
    const request = inputs();
    const other = await client.createServer({ project: projectId, plan: "c2-medium-x86", site: request.site, operating_system: "ipxe", ipxe: TEST_IPXE_URL, hostname: request.hostname, billing: "hourly" });
    const { id } = await create(request);
    expect(id).not.toBe(other.id);
    expect(posts()).toHaveLength(2);
  });
});

describe("read, update, delete", () => {
  it("reports an out-of-band deletion with an empty id, so refresh drops it", async () => {
    const { id, outs } = await create(inputs());
    emulator.deleteServerOutOfBand(id);
    await expect(serverProvider.read!(id, outs)).resolves.toEqual({ id: "", props: {} });
  });

  it("reads back a live server unchanged", async () => {
    const { id, outs } = await create(inputs({ operatingSystem: "ubuntu_24_04_x64_lts", ipxeUrl: undefined }));
    const read = await serverProvider.read!(id, outs);
    expect(read).toEqual({ id, props: outs });
  });

  it("renames, retags and upgrades billing in one PATCH", async () => {
    const request = inputs();
    const { id, outs } = await create(request);
    const tag = await client.createTag({ name: "update-tag" });
    emulator.clearLog();
    const news = { ...request, hostname: `${request.hostname}-x`, billing: "monthly" as const, tagIds: [tag.id] };
    const { outs: updated } = (await serverProvider.update!(id, outs, news)) as { outs: ServerOutputs };
    expect(updated.hostname).toBe(news.hostname);
    expect(emulator.requests.filter((r) => r.method === "PATCH").map((r) => r.path)).toEqual([`/servers/${id}`]);
    const view = emulator.servers().find((s) => s.id === id);
    expect([view?.hostname, view?.billing, view?.tags]).toEqual([news.hostname, "monthly", [tag.id]]);
  });

  it("refuses an OS change without allowReinstall at check, and reinstalls with it", async () => {
    const request = inputs({ operatingSystem: "ubuntu_24_04_x64_lts", ipxeUrl: undefined });
    const { id, outs } = await create(request);
    const refused = await serverProvider.check!(request, { ...request, operatingSystem: "debian_12" });
    expect(refused.failures?.map((f) => f.reason)).toEqual([
      `node ${request.nodeName} (${request.hostname}): changing the operating system ubuntu_24_04_x64_lts → debian_12 reinstalls the server and wipes its disks; set cto-metal:allowReinstall to true to proceed`,
    ]);
    const news = { ...request, operatingSystem: "debian_12", allowReinstall: true };
    expect((await serverProvider.check!(request, news)).failures).toEqual([]);
    emulator.clearLog();
    const { outs: updated } = (await serverProvider.update!(id, outs, news)) as { outs: ServerOutputs };
    expect(updated.status).toBe("on");
    expect(emulator.requests.filter((r) => r.method === "POST").map((r) => r.path)).toEqual([`/servers/${id}/reinstall`]);
    expect(emulator.servers().find((s) => s.id === id)?.operatingSystem).toBe("debian_12");
  });

  it("re-checks refusals at update time, when preview-unknown values are known", async () => {
    const request = inputs({ operatingSystem: "ubuntu_24_04_x64_lts", ipxeUrl: undefined });
    const { id, outs } = await create(request);
    await expect(serverProvider.update!(id, outs, { ...request, sshKeyIds: ["ssh_new"] })).rejects.toThrow("set cto-metal:allowReinstall to true");
    expect(emulator.requests.filter((r) => r.path.includes("/reinstall"))).toHaveLength(0);
  });

  it("deletes, and treats a second delete as done", async () => {
    const { id, outs } = await create(inputs());
    await serverProvider.delete!(id, outs);
    expect(emulator.servers().some((s) => s.id === id)).toBe(false);
    await expect(serverProvider.delete!(id, outs)).resolves.toBeUndefined();
  });
});

// After DELETE (204) the server's GET answers 404, but how long lists still show it is unrecorded
// (latitude-api.md §19): the emulator lists it for a minute here.
describe("a deleted server that lists still show", () => {
  beforeEach(() => {
    emulator.knobs.deletedServerListedMs = 60_000;
  });
  afterEach(() => {
    emulator.knobs.deletedServerListedMs = 0;
  });
  const listed = async (): Promise<string[]> => (await client.listServers({ project: projectId })).map((server) => server.id);

  it("delete is done at its DELETE: no waiting for the list", async () => {
    const { id, outs } = await create(inputs());
    emulator.clearLog();
    const started = Date.now();
    await serverProvider.delete!(id, outs);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(emulator.requests.filter((r) => r.method === "DELETE").map((r) => [r.path, r.status])).toEqual([[`/servers/${id}`, 204]]);
    expect(emulator.requests.filter((r) => r.method === "GET" && r.path === "/servers")).toEqual([]);
    // what the provider did not wait for: still listed, while its GET answers 404
    expect(await listed()).toContain(id);
    expect(await client.getServer(id)).toBeUndefined();
  }, 10_000);

  it("a replace (delete first, then create with the same hostname) buys a new server, not the deleted one", async () => {
    const request = inputs();
    const { id: old, outs } = await create(request);
    await serverProvider.delete!(old, outs);
    emulator.clearLog();
    const { id } = await create(request);
    expect(id).not.toBe(old);
    expect(posts()).toHaveLength(1);
    expect(await listed()).toEqual(expect.arrayContaining([old, id]));
  }, 10_000);

  it("nor adopts a server another process deleted: its GET answers 404", async () => {
    const request = inputs();
    const { id: old } = await create(request);
    await client.deleteServer(old);
    emulator.clearLog();
    const { id } = await create(request);
    expect(id).not.toBe(old);
    expect(posts()).toHaveLength(1);
    expect(emulator.requests.filter((r) => r.path === `/servers/${old}`).map((r) => [r.method, r.status])).toEqual([["GET", 404]]);
    expect(await listed()).toContain(old);
  }, 10_000);

  it("nor takes the deleted server for the one a lost POST made", async () => {
    const request = inputs();
    const { id: old, outs } = await create(request);
    await serverProvider.delete!(old, outs);
    emulator.knobs.loseNextServerPosts = 1;
    emulator.clearLog();
    const { id } = await create(request);
    expect(id).not.toBe(old);
    expect(posts()).toHaveLength(1);
    expect(emulator.servers().filter((s) => s.hostname === request.hostname && s.id !== old).map((s) => s.id)).toEqual([id]);
  }, 15_000);
});

describe("a fleet under the rate limit", () => {
  it("creates 20 servers concurrently with no 429 reaching the caller", async () => {
    emulator.knobs.rateLimit = { reads: 60, writes: 20, windowMs: 2000 };
    vi.stubEnv("LATITUDESH_RATE_WINDOW_MS", "2000");
    vi.stubEnv("LATITUDESH_AUTH_TOKEN", `${API_KEY}-fleet`);
    try {
      const created = await Promise.all(Array.from({ length: 20 }, () => create(inputs({ deployTimeoutSeconds: 30 }))));
      expect(new Set(created.map((c) => c.id)).size).toBe(20);
      expect(posts()).toHaveLength(20);
      expect(emulator.requests.filter((r) => r.status === 429)).toHaveLength(0);
    } finally {
      vi.stubEnv("LATITUDESH_AUTH_TOKEN", API_KEY);
      vi.stubEnv("LATITUDESH_RATE_WINDOW_MS", "1000");
    }
  }, 60_000);
});
