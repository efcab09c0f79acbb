// The VlanAssignment provider called directly, against the emulator over real HTTP.
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { LatitudeClient } from "../../providers/latitude/client";
import { vlanAssignmentProvider, type VlanAssignmentInputs, type VlanAssignmentOutputs } from "../../providers/latitude/vlanAssignmentProvider";
import { startEmulator, type Emulator } from "../../emulator";
import { waitFor } from "../emulator/testing";

const API_KEY = "vlan-assignment-provider-test-key";
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
let emulator: Emulator;
/** Out of band: what a person in the dashboard, or an interrupted run, would do. */
let oob: LatitudeClient;
let projectId: string;
let vlanId: string;
let seq = 0;

type InitFailure = Error & { id: string; properties: VlanAssignmentOutputs; reasons: string[] };

async function newServer(): Promise<string> {
  const server = await oob.createServer({ project: projectId, plan: "c2-small-x86", site: "MIA2", operating_system: "ubuntu_24_04_x64_lts", hostname: `assign-${++seq}`, billing: "hourly" });
  return server.id;
}
const inputs = async (overrides: Partial<VlanAssignmentInputs> = {}): Promise<VlanAssignmentInputs> => ({
  providerVersion: "test",
  serverId: overrides.serverId ?? (await newServer()),
  virtualNetworkId: vlanId,
  timeoutSeconds: 5,
  ...overrides,
});
const create = (i: VlanAssignmentInputs) => vlanAssignmentProvider.create(i) as Promise<{ id: string; outs: VlanAssignmentOutputs }>;
const requests = (method: string, path: string) => emulator.requests.filter((r) => r.method === method && r.path === path);
const listed = (id: string) => emulator.assignments().find((a) => a.id === id);

beforeAll(async () => {
  emulator = await startEmulator({ deployMs: 50, knobs: { assignmentConnectMs: 150, assignmentRemovalMs: 150 } });
  vi.stubEnv("LATITUDESH_API_URL", emulator.url);
  vi.stubEnv("LATITUDESH_AUTH_TOKEN", API_KEY);
  vi.stubEnv("LATITUDESH_POLL_INTERVAL_MS", "20");
  vi.stubEnv("LATITUDESH_RATE_WINDOW_MS", "1000");
  oob = new LatitudeClient({ apiUrl: emulator.url, apiKey: `${API_KEY}-out-of-band`, writeLimit: { limit: 100, windowMs: 1000 } });
  projectId = (await oob.createProject({ name: "assignments", provisioning_type: "on_demand" })).id;
  vlanId = (await oob.createVirtualNetwork({ site: "MIA2", project: projectId, description: "cto-metal assignments" })).id;
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await emulator.close();
});
afterEach(() => {
  emulator.knobs.assignmentConnectMs = 150;
  emulator.clearLog();
});

describe("assignment lifecycle", () => {
  it("creates and waits from connecting to connected, reads, deletes and waits until it is gone", async () => {
    const i = await inputs();
    const { id, outs } = await create(i);
    expect(id).toMatch(/^vnasg_/);
    expect(outs).toMatchObject({ assignmentId: id, status: "connected", serverId: i.serverId, virtualNetworkId: vlanId });
    expect(outs.vid).toBeGreaterThanOrEqual(2000);
    // It was connecting when created, and the wait polled the list filtered by VLAN.
    expect(requests("POST", "/virtual_networks/assignments")[0]?.status).toBe(201);
    expect(requests("GET", "/virtual_networks/assignments").some((r) => r.query["filter[virtual_network_id]"] === vlanId && !r.query["filter[server]"])).toBe(true);

    expect(await vlanAssignmentProvider.read!(id, outs)).toEqual({ id, props: outs });

    await vlanAssignmentProvider.delete!(id, outs);
    expect(listed(id)).toBeUndefined();
  });

  it("serves several waiting assignments of one VLAN from one list call per tick", async () => {
    const all = await Promise.all([inputs(), inputs(), inputs()]);
    emulator.clearLog();
    const created = await Promise.all(all.map(create));
    expect(created.map((c) => c.outs.status)).toEqual(["connected", "connected", "connected"]);
    const polls = requests("GET", "/virtual_networks/assignments").filter((r) => !r.query["filter[server]"]);
    // ~150 ms to connect at a 20 ms tick: one poller, not three.
    expect(polls.length).toBeLessThan(20);
    await Promise.all(created.map((c) => vlanAssignmentProvider.delete!(c.id, c.outs)));
  });

  it("bookkeeping changes (timeout, version) update in place without an API call", async () => {
    const { id, outs } = await create(await inputs());
    emulator.clearLog();
    const news = { ...outs, timeoutSeconds: 60, providerVersion: "test-2" };
    expect(await vlanAssignmentProvider.diff!(id, outs, news)).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
    const updated = await vlanAssignmentProvider.update!(id, outs, news);
    expect(updated.outs).toMatchObject({ assignmentId: id, status: "connected", vid: outs.vid, timeoutSeconds: 60 });
    expect(emulator.requests).toHaveLength(0);
  });
});

describe("adopting after an interrupted create", () => {
  it("adopts the assignment of this server to this VLAN, without a POST", async () => {
    const i = await inputs();
    const left = await oob.createVlanAssignment(i.serverId, vlanId);
    emulator.clearLog();
    const { id, outs } = await create(i);
    expect(id).toBe(left.id);
    expect(outs.status).toBe("connected");
    expect(requests("POST", "/virtual_networks/assignments")).toHaveLength(0);
  });

  it("does not adopt another server's assignment, nor one being removed", async () => {
    const other = await create(await inputs());
    const i = await inputs();
    const leaving = await oob.createVlanAssignment(i.serverId, vlanId);
    await oob.deleteVlanAssignment(leaving.id);
    emulator.clearLog();
    const { id } = await create(i);
    expect([other.id, leaving.id]).not.toContain(id);
    expect(requests("POST", "/virtual_networks/assignments")).toHaveLength(1);
  });
});

describe("an assignment that never connects", () => {
  it("is reported with its id (kept in state), and destroy removes it", async () => {
    emulator.knobs.assignmentConnectMs = 60_000;
    const i = await inputs({ timeoutSeconds: 0.3 });
    const error = (await create(i).catch((e: unknown) => e)) as InitFailure;
    expect(error.id).toMatch(/^vnasg_/);
    expect(error.properties).toMatchObject({ assignmentId: error.id, status: "connecting" });
    expect(error.message).toMatch(/did not connect within 300 ms \(last status: connecting\)/);
    expect(error.reasons).toEqual([error.message]);
    // The next up replaces it, deleting first: the same server and VLAN cannot hold two.
    expect(await vlanAssignmentProvider.diff!(error.id, error.properties, i)).toEqual({ changes: true, replaces: ["status"], deleteBeforeReplace: true });
    await vlanAssignmentProvider.delete!(error.id, error.properties);
    expect(listed(error.id)).toBeUndefined();
  });
});

describe("diff", () => {
  const olds: VlanAssignmentOutputs = { providerVersion: "test", serverId: "sv_A", virtualNetworkId: "vlan_A", timeoutSeconds: 5, assignmentId: "vnasg_x", vid: 2000, status: "connected" };
  const base: VlanAssignmentInputs = { providerVersion: "test", serverId: "sv_A", virtualNetworkId: "vlan_A", timeoutSeconds: 5 };
  const cases: Array<[string, Partial<VlanAssignmentInputs>, boolean, string[]]> = [
    ["nothing", {}, false, []],
    ["timeout", { timeoutSeconds: 10 }, true, []],
    ["server", { serverId: "sv_B" }, true, ["serverId"]],
    ["server unknown at preview (server replaced)", { serverId: UNKNOWN }, true, ["serverId"]],
    ["VLAN", { virtualNetworkId: "vlan_B" }, true, ["virtualNetworkId"]],
    ["server and VLAN", { serverId: "sv_B", virtualNetworkId: "vlan_B" }, true, ["serverId", "virtualNetworkId"]],
  ];
  it.each(cases)("%s %j → changes %s, replaces %j", async (_what, change, changes, replaces) => {
    expect(await vlanAssignmentProvider.diff!("vnasg_x", olds, { ...base, ...change })).toEqual({ changes, replaces, deleteBeforeReplace: false });
  });
});

describe("gone and going", () => {
  it("read after an out-of-band removal returns an empty id", async () => {
    const { id, outs } = await create(await inputs());
    await oob.deleteVlanAssignment(id);
    await waitFor(() => (listed(id) ? undefined : true));
    expect(await vlanAssignmentProvider.read!(id, outs)).toMatchObject({ id: "" });
  });

  it("delete is idempotent: a second delete (404) succeeds", async () => {
    const { id, outs } = await create(await inputs());
    await vlanAssignmentProvider.delete!(id, outs);
    await expect(vlanAssignmentProvider.delete!(id, outs)).resolves.toBeUndefined();
    expect(requests("DELETE", `/virtual_networks/assignments/${id}`).map((r) => r.status)).toEqual([204, 404]);
  });
});
