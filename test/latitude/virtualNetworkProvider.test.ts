// The VirtualNetwork provider called directly, against the emulator over real HTTP.
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { LatitudeClient } from "../../providers/latitude/client";
import { virtualNetworkProvider, type VirtualNetworkInputs, type VirtualNetworkOutputs } from "../../providers/latitude/virtualNetworkProvider";
import { startEmulator, type Emulator } from "../../emulator";
import { waitFor } from "../emulator/testing";

const API_KEY = "virtual-network-provider-test-key";
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
const STACK_IDENTITY = "0123456789abcdef";
let emulator: Emulator;
/** Out of band: what a person in the dashboard, or an interrupted run, would do. */
let oob: LatitudeClient;
let projectId: string;
let seq = 0;

const inputs = (overrides: Partial<VirtualNetworkInputs> = {}): VirtualNetworkInputs => ({
  providerVersion: "test",
  projectId,
  site: "MIA2",
  description: `cto-metal cto-test private network ${++seq}`,
  tagIds: [],
  stackIdentity: STACK_IDENTITY,
  ...overrides,
});
const create = (i: VirtualNetworkInputs) => virtualNetworkProvider.create(i) as Promise<{ id: string; outs: VirtualNetworkOutputs }>;
const vlanPosts = () => emulator.requests.filter((r) => r.method === "POST" && r.path === "/virtual_networks");
const vlanDeletes = (id: string) => emulator.requests.filter((r) => r.method === "DELETE" && r.path === `/virtual_networks/${id}`);
const postVlan = async (attributes: { site: string; project: string; description: string }): Promise<string> => (await oob.createVirtualNetwork(attributes)).id;

async function assignedServer(vlanId: string, hostname: string): Promise<{ serverId: string; assignmentId: string }> {
  const server = await oob.createServer({ project: projectId, plan: "c2-small-x86", site: "MIA2", operating_system: "ubuntu_24_04_x64_lts", hostname, billing: "hourly" });
  const assignment = await oob.createVlanAssignment(server.id, vlanId);
  return { serverId: server.id, assignmentId: assignment.id };
}

beforeAll(async () => {
  emulator = await startEmulator({ deployMs: 50, knobs: { assignmentConnectMs: 50, assignmentRemovalMs: 250 } });
  vi.stubEnv("LATITUDESH_API_URL", emulator.url);
  vi.stubEnv("LATITUDESH_AUTH_TOKEN", API_KEY);
  vi.stubEnv("LATITUDESH_POLL_INTERVAL_MS", "20");
  vi.stubEnv("LATITUDESH_RATE_WINDOW_MS", "1000");
  oob = new LatitudeClient({ apiUrl: emulator.url, apiKey: `${API_KEY}-out-of-band`, writeLimit: { limit: 100, windowMs: 1000 } });
  // This stack's project: an untagged leftover in it is ours (providers/latitude/ownership.ts).
  projectId = (await oob.createProject({ name: "vlans", provisioning_type: "on_demand", description: `owned by Pulumi stack cto-metal-test (stack identity ${STACK_IDENTITY})` })).id;
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await emulator.close();
});
afterEach(() => emulator.clearLog());

describe("VLAN lifecycle", () => {
  it("creates, reads, updates description and tags in place, deletes", async () => {
    const tagId = (await oob.createTag({ name: "cto-metal-vlan" })).id;
    const i = inputs({ tagIds: [tagId] });
    const { id, outs } = await create(i);
    expect(id).toMatch(/^vlan_/);
    expect(outs).toMatchObject({ vlanId: id, description: i.description, site: "MIA2", tagIds: [tagId] });
    expect(outs.vid).toBeGreaterThanOrEqual(2000);
    expect(outs.name).toBe(`MIA2-${outs.vid}`);

    expect(await virtualNetworkProvider.read!(id, outs)).toEqual({ id, props: outs });

    const news = { ...i, description: `${i.description} (renamed)`, tagIds: [] };
    expect(await virtualNetworkProvider.diff!(id, outs, news)).toMatchObject({ changes: true, replaces: [] });
    const updated = await virtualNetworkProvider.update!(id, outs, news);
    expect(updated.outs).toMatchObject({ vlanId: id, vid: outs.vid, name: outs.name, description: news.description, tagIds: [] });
    expect(await oob.getVirtualNetwork(id)).toMatchObject({ description: news.description, tags: [] });

    await virtualNetworkProvider.delete!(id, updated.outs as VirtualNetworkOutputs);
    expect(await oob.getVirtualNetwork(id)).toBeUndefined();
  });
});

describe("adopting after an interrupted create", () => {
  it("adopts a VLAN of this project and site with exactly this description, without a POST", async () => {
    const i = inputs();
    const left = await postVlan({ site: "MIA2", project: projectId, description: i.description });
    emulator.clearLog();
    const { id, outs } = await create(i);
    expect(id).toBe(left);
    expect(outs.name).toBe(`MIA2-${outs.vid}`);
    expect(vlanPosts()).toHaveLength(0);
  });

  it("does not adopt another description, another site, or another project", async () => {
    const i = inputs();
    const other = (await oob.createProject({ name: "vlans-other", provisioning_type: "on_demand" })).id;
    const decoys = [
      await postVlan({ site: "MIA2", project: projectId, description: `${i.description} of another stack` }),
      await postVlan({ site: "DAL", project: projectId, description: i.description }),
      await postVlan({ site: "MIA2", project: other, description: i.description }),
    ];
    emulator.clearLog();
    const { id } = await create(i);
    expect(decoys).not.toContain(id);
    expect(vlanPosts()).toHaveLength(1);
  });
});

describe("diff", () => {
  const olds: VirtualNetworkOutputs = { providerVersion: "test", projectId: "proj_A", site: "MIA2", description: "d", tagIds: ["tag_a"], stackIdentity: STACK_IDENTITY, vlanId: "vlan_x", vid: 2000, name: "MIA2-2000" };
  const base: VirtualNetworkInputs = { providerVersion: "test", projectId: "proj_A", site: "MIA2", description: "d", tagIds: ["tag_a"], stackIdentity: STACK_IDENTITY };
  const cases: Array<[string, Partial<VirtualNetworkInputs>, boolean, string[]]> = [
    ["nothing", {}, false, []],
    ["site in lower case", { site: "mia2" }, false, []],
    ["description", { description: "e" }, true, []],
    ["tags", { tagIds: [] }, true, []],
    ["delete timeout", { timeoutSeconds: 60 }, true, []],
    ["provider version", { providerVersion: "test-2" }, true, []],
    ["site", { site: "DAL" }, true, ["site"]],
    ["site unknown at preview", { site: UNKNOWN }, true, ["site"]],
    ["project", { projectId: "proj_B" }, true, ["projectId"]],
  ];
  it.each(cases)("%s %j → changes %s, replaces %j", async (_what, change, changes, replaces) => {
    expect(await virtualNetworkProvider.diff!("vlan_x", olds, { ...base, ...change })).toEqual({ changes, replaces, deleteBeforeReplace: replaces.length > 0 });
  });

  it("check wants a description (the dedupe key) and a positive timeout", async () => {
    const bad = await virtualNetworkProvider.check!({} as VirtualNetworkInputs, inputs({ description: " ", timeoutSeconds: 0 }));
    expect(bad.failures?.map((f) => f.property)).toEqual(["description", "timeoutSeconds"]);
  });
});

describe("deleting while servers are still assigned", () => {
  it("retries the 406 until the assignments drain, then deletes", async () => {
    const { id, outs } = await create(inputs());
    const { assignmentId } = await assignedServer(id, "vlan-drain-1");
    // The assignment goes away while delete is already retrying (it stays listed 250 ms).
    setTimeout(() => void oob.deleteVlanAssignment(assignmentId), 100);
    await virtualNetworkProvider.delete!(id, outs);
    const statuses = vlanDeletes(id).map((r) => r.status);
    expect(statuses[0]).toBe(406);
    expect(statuses.at(-1)).toBe(204);
    expect(await oob.getVirtualNetwork(id)).toBeUndefined();
  });

  it("gives up after timeoutSeconds and names the server still assigned", async () => {
    const { id, outs } = await create(inputs({ timeoutSeconds: 0.3 }));
    const { assignmentId } = await assignedServer(id, "vlan-stuck-1");
    await expect(virtualNetworkProvider.delete!(id, outs)).rejects.toThrow(/still has server assignments.*vlan-stuck-1/);
    expect(await oob.getVirtualNetwork(id)).toBeDefined();
    await oob.deleteVlanAssignment(assignmentId);
    await waitFor(() => (emulator.assignments().some((a) => a.id === assignmentId) ? undefined : true));
    await virtualNetworkProvider.delete!(id, outs);
  });
});

describe("gone and going", () => {
  it("read after an out-of-band delete returns an empty id", async () => {
    const { id, outs } = await create(inputs());
    await oob.deleteVirtualNetwork(id);
    expect(await virtualNetworkProvider.read!(id, outs)).toMatchObject({ id: "" });
  });

  it("delete is idempotent: a second delete (404) succeeds", async () => {
    const { id, outs } = await create(inputs());
    await virtualNetworkProvider.delete!(id, outs);
    await expect(virtualNetworkProvider.delete!(id, outs)).resolves.toBeUndefined();
    expect(vlanDeletes(id).map((r) => r.status)).toEqual([204, 404]);
  });
});
