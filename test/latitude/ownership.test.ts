// Ownership is an identity, not a name: the Server, SshKey, VirtualNetwork and Tag providers,
// called directly against the emulator, adopt only what carries this stack's identity (its tag, or
// for an untagged leftover a project this stack created), and refuse anything else with an error
// that names it. Two stacks that share hostnames (same stack name in two Pulumi projects, or two
// backends) must never take each other's servers.
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { LatitudeClient } from "../../providers/latitude/client";
import { adoptable } from "../../providers/latitude/ownership";
import { serverProvider } from "../../providers/latitude/serverProvider";
import type { ServerInputs, ServerOutputs } from "../../providers/latitude/serverTypes";
import { sshKeyProvider, type SshKeyInputs, type SshKeyOutputs } from "../../providers/latitude/sshKeyProvider";
import { tagProvider, type TagInputs, type TagOutputs } from "../../providers/latitude/tagProvider";
import { virtualNetworkProvider, type VirtualNetworkInputs, type VirtualNetworkOutputs } from "../../providers/latitude/virtualNetworkProvider";
import { startEmulator, type Emulator } from "../../emulator";
import { TEST_IPXE_URL, testServerInputs } from "./serverInputs";
import { freePort, sshPublicKey } from "../emulator/testing";

const API_KEY = "ownership-test-key";
const OURS = "0123456789abcdef";
const THEIRS = "fedcba9876543210";
/** How the fleet writes an identity into a description (components/fleet/serverFleet.ts). */
const owned = (stack: string, identity: string): string => `owned by Pulumi stack ${stack} (stack identity ${identity})`;

let emulator: Emulator;
/** Out of band: an interrupted run of this stack, or another stack on the same team. */
let oob: LatitudeClient;
/** A project this stack created: its description carries our identity. */
let ownProject: string;
/** A project adopted with {"slug": ...}: shared, nobody's identity. */
let sharedProject: string;
let ourTag: { id: string; name: string };
let theirTag: { id: string; name: string };
let seq = 0;

type Created<O> = Promise<{ id: string; outs: O }>;
const createServer = (i: ServerInputs) => serverProvider.create(i) as Created<ServerOutputs>;
const createKey = (i: SshKeyInputs) => sshKeyProvider.create(i) as Created<SshKeyOutputs>;
const createVlan = (i: VirtualNetworkInputs) => virtualNetworkProvider.create(i) as Created<VirtualNetworkOutputs>;
const createTag = (i: TagInputs) => tagProvider.create(i) as Created<TagOutputs>;
const posts = (path: string) => emulator.requests.filter((r) => r.method === "POST" && r.path === path);
const failure = async (promise: Promise<unknown>): Promise<Error> => (await promise.then(() => new Error("expected a refusal, but it resolved"), (e: unknown) => e)) as Error;

function serverInputs(overrides: Partial<ServerInputs> = {}): ServerInputs {
  const name = `n${++seq}`;
  return testServerInputs({
    projectId: ownProject,
    nodeName: name,
    hostname: `cto-cto-metal-dev-${name}`,
    tagIds: [ourTag.id],
    stackTag: ourTag.name,
    stackIdentity: OURS,
    hourlyPrice: 0.2,
    talosPort: emulator.talosPort,
    deployTimeoutSeconds: 5,
    ...overrides,
  });
}

/** A server as an interrupted run or another stack left it: bought, maybe tagged. */
async function leftover(inputs: ServerInputs, tags: string[]): Promise<string> {
  const server = await oob.createServer({ project: inputs.projectId, plan: inputs.plan, site: inputs.site, operating_system: "ipxe", ipxe: TEST_IPXE_URL, hostname: inputs.hostname, billing: "hourly" });
  if (tags.length > 0) await oob.updateServer(server.id, { tags });
  return server.id;
}

beforeAll(async () => {
  emulator = await startEmulator({ deployMs: 100, talosPort: await freePort() });
  vi.stubEnv("LATITUDESH_API_URL", emulator.url);
  vi.stubEnv("LATITUDESH_AUTH_TOKEN", API_KEY);
  vi.stubEnv("LATITUDESH_POLL_INTERVAL_MS", "25");
  vi.stubEnv("LATITUDESH_RATE_WINDOW_MS", "1000");
  oob = new LatitudeClient({ apiUrl: emulator.url, apiKey: `${API_KEY}-out-of-band`, writeLimit: { limit: 200, windowMs: 1000 } });
  ownProject = (await oob.createProject({ name: "ownership-own", provisioning_type: "on_demand", description: `cto-metal dev; ${owned("cto-metal-dev", OURS)}` })).id;
  sharedProject = (await oob.createProject({ name: "ownership-shared", provisioning_type: "on_demand", description: "the team's shared project" })).id;
  ourTag = await oob.createTag({ name: "cto-metal-dev", description: `Owned by Pulumi stack cto-metal-dev (stack identity ${OURS})` });
  theirTag = await oob.createTag({ name: "other-metal-dev", description: `Owned by Pulumi stack other-metal-dev (stack identity ${THEIRS})` });
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await emulator.close();
});
afterEach(() => {
  emulator.knobs.sshKeyProject = "absent";
  emulator.clearLog();
});

describe("servers", () => {
  it("adopts a same-named server that carries this stack's tag, without a POST", async () => {
    const request = serverInputs({ projectId: sharedProject });
    const left = await leftover(request, [ourTag.id]);
    emulator.clearLog();
    const { id } = await createServer(request);
    expect(id).toBe(left);
    expect(posts("/servers")).toHaveLength(0);
  });

  it("never adopts a same-named server carrying another stack's tag: the error names it and says what to do", async () => {
    const request = serverInputs({ projectId: sharedProject });
    const theirs = await leftover(request, [theirTag.id]);
    emulator.clearLog();
    const error = await failure(createServer(request));
    expect(error.message).toContain(`node ${request.nodeName} (${request.hostname})`);
    expect(error.message).toContain(`server ${theirs} (hostname ${request.hostname}, project ownership-shared)`);
    expect(error.message).toContain(`another Pulumi stack's tag "other-metal-dev" (stack identity ${THEIRS})`);
    expect(error.message).toContain("cto-metal:hostnamePrefix");
    expect(posts("/servers")).toHaveLength(0);
    // theirs is untouched: not retagged, not renamed
    expect(emulator.servers().find((s) => s.id === theirs)?.tags).toEqual([theirTag.id]);
  });

  it("adopts an untagged same-named server inside a project this stack created (its description carries the identity)", async () => {
    const request = serverInputs({ projectId: ownProject });
    const left = await leftover(request, []);
    emulator.clearLog();
    const { id } = await createServer(request);
    expect(id).toBe(left);
    expect(posts("/servers")).toHaveLength(0);
    // and it now carries the stack's tag
    expect(emulator.servers().find((s) => s.id === left)?.tags).toEqual([ourTag.id]);
  });

  it("never adopts an untagged same-named server in an adopted project: the error says how to claim it", async () => {
    const request = serverInputs({ projectId: sharedProject });
    const stray = await leftover(request, []);
    emulator.clearLog();
    const error = await failure(createServer(request));
    expect(error.message).toContain(`server ${stray} (hostname ${request.hostname}, project ownership-shared)`);
    expect(error.message).toContain("carries no stack's tag");
    expect(error.message).toContain(`attach the tag "cto-metal-dev" (${ourTag.id})`);
    expect(posts("/servers")).toHaveLength(0);
    expect(emulator.servers().find((s) => s.id === stray)?.tags).toEqual([]);
  });

  it("adopts ours when another stack's server shares the hostname too", async () => {
    const request = serverInputs({ projectId: sharedProject });
    await leftover(request, [theirTag.id]);
    const ours = await leftover(request, [ourTag.id]);
    const { id } = await createServer(request);
    expect(id).toBe(ours);
  });
});

describe("SSH keys and VLANs", () => {
  const keyInputs = (overrides: Partial<SshKeyInputs> = {}): SshKeyInputs => ({
    providerVersion: "test",
    name: `ops-${++seq}`,
    publicKey: sshPublicKey().line,
    projectId: sharedProject,
    tagIds: [ourTag.id],
    stackIdentity: OURS,
    ...overrides,
  });
  const vlanInputs = (overrides: Partial<VirtualNetworkInputs> = {}): VirtualNetworkInputs => ({
    providerVersion: "test",
    projectId: sharedProject,
    site: "MIA2",
    description: `cto-metal-dev private network ${++seq}`,
    tagIds: [ourTag.id],
    stackIdentity: OURS,
    ...overrides,
  });

  // Recorded SSH key answers carry no `project` (latitude-api.md §19), the spec's do: both shapes.
  it.each(["absent", "embedded"] as const)("an SSH key: adopts ours, refuses another stack's, refuses an untagged one in an adopted project (project %s)", async (shape) => {
    emulator.knobs.sshKeyProject = shape;
    const where = shape === "embedded" ? "ownership-shared" : sharedProject;
    const ours = keyInputs();
    const left = (await oob.createSshKey({ name: ours.name, public_key: ours.publicKey, project: sharedProject })).id;
    await oob.updateSshKey(left, { tags: [ourTag.id] });
    expect((await createKey(ours)).id).toBe(left);

    const theirs = keyInputs();
    const foreign = (await oob.createSshKey({ name: theirs.name, public_key: theirs.publicKey, project: sharedProject })).id;
    await oob.updateSshKey(foreign, { tags: [theirTag.id] });
    const refused = await failure(createKey(theirs));
    expect(refused.message).toContain(`SSH key ${foreign} (name ${theirs.name}, project ${where})`);
    expect(refused.message).toContain(`stack identity ${THEIRS}`);

    const untagged = keyInputs();
    const stray = (await oob.createSshKey({ name: untagged.name, public_key: untagged.publicKey, project: sharedProject })).id;
    const unclaimed = await failure(createKey(untagged));
    expect(unclaimed.message).toContain(`SSH key ${stray} (name ${untagged.name}, project ${where}), which carries no stack's tag`);
    expect(unclaimed.message).toContain(`attach the tag of this stack (${ourTag.id})`);
    expect(posts("/ssh_keys")).toHaveLength(3);
    // neither is touched: not retagged, not renamed
    expect((await oob.getSshKey(foreign))?.tags?.map((t) => t.id)).toEqual([theirTag.id]);
    expect((await oob.getSshKey(stray))?.tags).toEqual([]);
  });

  it.each(["absent", "embedded"] as const)("an untagged SSH key in a project this stack created is adopted (project %s)", async (shape) => {
    emulator.knobs.sshKeyProject = shape;
    const request = keyInputs({ projectId: ownProject });
    const left = (await oob.createSshKey({ name: request.name, public_key: request.publicKey, project: ownProject })).id;
    expect((await createKey(request)).id).toBe(left);
    expect(posts("/ssh_keys")).toHaveLength(1);
  });

  it("a VLAN: adopts ours, refuses another stack's, adopts an untagged one only in a project this stack created", async () => {
    const ours = vlanInputs();
    const left = (await oob.createVirtualNetwork({ site: "MIA2", project: sharedProject, description: ours.description })).id;
    await oob.updateVirtualNetwork(left, { tags: [ourTag.id] });
    expect((await createVlan(ours)).id).toBe(left);

    const theirs = vlanInputs();
    const foreign = (await oob.createVirtualNetwork({ site: "MIA2", project: sharedProject, description: theirs.description })).id;
    await oob.updateVirtualNetwork(foreign, { tags: [theirTag.id] });
    const refused = await failure(createVlan(theirs));
    expect(refused.message).toContain(`VLAN ${foreign}`);
    expect(refused.message).toContain(`stack identity ${THEIRS}`);

    const untaggedShared = vlanInputs();
    const stray = (await oob.createVirtualNetwork({ site: "MIA2", project: sharedProject, description: untaggedShared.description })).id;
    expect((await failure(createVlan(untaggedShared))).message).toContain(`VLAN ${stray}`);

    const untaggedOwn = vlanInputs({ projectId: ownProject });
    const ownLeft = (await oob.createVirtualNetwork({ site: "MIA2", project: ownProject, description: untaggedOwn.description })).id;
    expect((await createVlan(untaggedOwn)).id).toBe(ownLeft);
  });
});

describe("the verdict", () => {
  const owner = { subject: "SSH key ops", identity: OURS, projectId: "proj_shared", tagIds: ["tag_ours"], rename: "rename the key in cto-metal:sshKeys" };

  it("takes a candidate carrying the stack's tag by id, even embedded without its description", async () => {
    const candidate = { id: "ssh_a", label: "SSH key ssh_a", tags: [{ id: "tag_ours", name: "cto-metal-dev" }] };
    await expect(adoptable(oob, [candidate], owner)).resolves.toBe(candidate);
  });

  it("refuses one whose tag, by id, is not the stack's", async () => {
    const candidate = { id: "ssh_b", label: "SSH key ssh_b", tags: [{ id: "tag_other", name: "other", description: owned("other", THEIRS) }] };
    await expect(adoptable(oob, [candidate], owner)).rejects.toThrow(`SSH key ssh_b, which carries another Pulumi stack's tag "other" (stack identity ${THEIRS})`);
  });
});

describe("the stack's tag", () => {
  it("adopts a same-named tag whose description carries this stack's identity", async () => {
    const left = await oob.createTag({ name: "cto-metal-tagged", description: owned("cto-metal-tagged", OURS) });
    emulator.clearLog();
    const { id } = await createTag({ providerVersion: "test", name: "cto-metal-tagged", description: `Owned by Pulumi stack cto-metal-tagged (stack identity ${OURS})` });
    expect(id).toBe(left.id);
    expect(posts("/tags")).toHaveLength(0);
  });

  it("never adopts a same-named tag of another stack (another backend, same project and stack names): the error names it", async () => {
    const theirs = await oob.createTag({ name: "cto-metal-twin", description: `Owned by Pulumi stack cto-metal-twin (stack identity ${THEIRS})` });
    emulator.clearLog();
    const error = await failure(createTag({ providerVersion: "test", name: "cto-metal-twin", description: `Owned by Pulumi stack cto-metal-twin (stack identity ${OURS})` }));
    expect(error.message).toContain(`Latitude tag "cto-metal-twin" (${theirs.id})`);
    expect(error.message).toContain(`stack identity ${THEIRS}`);
    expect(error.message).toContain("pulumi stack rename");
    expect(posts("/tags")).toHaveLength(0);
  });
});
