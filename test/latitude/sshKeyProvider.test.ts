// The SshKey provider called directly, against the emulator over real HTTP.
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { LatitudeClient } from "../../providers/latitude/client";
import { sshKeyProvider, type SshKeyInputs, type SshKeyOutputs } from "../../providers/latitude/sshKeyProvider";
import { startEmulator, type Emulator } from "../../emulator";
import { sshPublicKey } from "../emulator/testing";

const API_KEY = "ssh-key-provider-test-key";
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
let emulator: Emulator;
/** Out of band: what a person in the dashboard, or an interrupted run, would do. */
let oob: LatitudeClient;
let projectId: string;
let seq = 0;

const STACK_IDENTITY = "0123456789abcdef";
const inputs = (overrides: Partial<SshKeyInputs> = {}): SshKeyInputs => ({ providerVersion: "test", name: `cto-metal-key-${++seq}`, publicKey: sshPublicKey().line, stackIdentity: STACK_IDENTITY, ...overrides });
const create = (i: SshKeyInputs) => sshKeyProvider.create(i) as Promise<{ id: string; outs: SshKeyOutputs }>;
const keyPosts = () => emulator.requests.filter((r) => r.method === "POST" && r.path === "/ssh_keys");
const newTag = async (name: string): Promise<string> => (await oob.createTag({ name })).id;
const postKey = async (attributes: { name: string; public_key: string; project?: string }): Promise<string> => (await oob.createSshKey(attributes)).id;

beforeAll(async () => {
  emulator = await startEmulator();
  vi.stubEnv("LATITUDESH_API_URL", emulator.url);
  vi.stubEnv("LATITUDESH_AUTH_TOKEN", API_KEY);
  vi.stubEnv("LATITUDESH_RATE_WINDOW_MS", "1000");
  oob = new LatitudeClient({ apiUrl: emulator.url, apiKey: `${API_KEY}-out-of-band`, writeLimit: { limit: 100, windowMs: 1000 } });
  // This stack's project: an untagged leftover in it is ours (providers/latitude/ownership.ts).
  projectId = (await oob.createProject({ name: "ssh-keys", provisioning_type: "on_demand", description: `owned by Pulumi stack cto-metal-test (stack identity ${STACK_IDENTITY})` })).id;
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await emulator.close();
});
afterEach(() => emulator.clearLog());

describe("SSH key lifecycle", () => {
  it("creates a team key, reads it, renames and tags it in place, deletes it (200 {meta:{}})", async () => {
    const tagId = await newTag("cto-metal-ssh");
    const i = inputs({ publicKey: `${sshPublicKey("me@laptop").line}\n` });
    const { id, outs } = await create(i);
    expect(id).toMatch(/^ssh_/);
    expect(outs).toMatchObject({ sshKeyId: id, name: i.name, tagIds: [] });
    expect(outs.fingerprint).toMatch(/^([0-9a-f]{2}:){15}[0-9a-f]{2}$/);
    expect((await oob.getSshKey(id))?.project).toEqual({});

    expect(await sshKeyProvider.read!(id, outs)).toEqual({ id, props: outs });

    const news = { ...i, name: `${i.name}-renamed`, tagIds: [tagId] };
    expect(await sshKeyProvider.diff!(id, outs, news)).toMatchObject({ changes: true, replaces: [] });
    const updated = await sshKeyProvider.update!(id, outs, news);
    expect(updated.outs).toMatchObject({ sshKeyId: id, name: news.name, tagIds: [tagId], fingerprint: outs.fingerprint });
    expect(emulator.requests.filter((r) => r.method === "PATCH")).toHaveLength(1);

    await sshKeyProvider.delete!(id, updated.outs as SshKeyOutputs);
    expect(await oob.getSshKey(id)).toBeUndefined();
    expect(emulator.requests.find((r) => r.method === "DELETE")?.status).toBe(200);
  });

  it("creates a project-scoped key with its tags set at once", async () => {
    const tagId = await newTag("cto-metal-ssh-project");
    const { id, outs } = await create(inputs({ projectId, tagIds: [tagId] }));
    const key = await oob.getSshKey(id);
    expect(key?.project?.id).toBe(projectId);
    expect(key?.tags?.map((t) => t.id)).toEqual([tagId]);
    expect(outs.tagIds).toEqual([tagId]);
  });
});

describe("adopting after an interrupted create", () => {
  it("adopts a key of the same scope, name and key material (comment aside), without a POST", async () => {
    const key = sshPublicKey("ops@ci");
    const i = inputs({ projectId, publicKey: key.line });
    const left = await postKey({ name: i.name, public_key: key.line.replace("ops@ci", "other-comment"), project: projectId });
    emulator.clearLog();
    const { id } = await create(i);
    expect(id).toBe(left);
    expect(keyPosts()).toHaveLength(0);
  });

  it("does not adopt a same-named key with another public key, nor one of another scope", async () => {
    const i = inputs();
    await postKey({ name: i.name, public_key: sshPublicKey().line });
    const otherScope = await postKey({ name: i.name, public_key: i.publicKey, project: projectId });
    emulator.clearLog();
    const { id } = await create(i);
    expect(id).not.toBe(otherScope);
    expect(keyPosts()).toHaveLength(1);
    expect((await oob.getSshKey(id))?.project).toEqual({});
  });
});

describe("diff", () => {
  const key = sshPublicKey().line;
  const olds: SshKeyOutputs = { providerVersion: "test", name: "k", publicKey: key, projectId: "proj_A", tagIds: ["tag_a", "tag_b"], stackIdentity: STACK_IDENTITY, sshKeyId: "ssh_x", fingerprint: "aa" };
  const base: SshKeyInputs = { providerVersion: "test", name: "k", publicKey: key, projectId: "proj_A", tagIds: ["tag_a", "tag_b"], stackIdentity: STACK_IDENTITY };
  const cases: Array<[string, Partial<SshKeyInputs>, boolean, string[]]> = [
    ["nothing", {}, false, []],
    ["tags reordered", { tagIds: ["tag_b", "tag_a"] }, false, []],
    ["trailing whitespace of the key", { publicKey: `  ${key}\n` }, false, []],
    ["name", { name: "k2" }, true, []],
    ["tags", { tagIds: ["tag_a"] }, true, []],
    ["tags unknown at preview", { tagIds: UNKNOWN as unknown as string[] }, true, []],
    ["provider version", { providerVersion: "test-2" }, true, []],
    ["public key", { publicKey: sshPublicKey().line }, true, ["publicKey"]],
    ["public key unknown at preview", { publicKey: UNKNOWN }, true, ["publicKey"]],
    ["project", { projectId: "proj_B" }, true, ["projectId"]],
    ["project → team scope", { projectId: undefined }, true, ["projectId"]],
  ];
  it.each(cases)("%s %j → changes %s, replaces %j", async (_what, change, changes, replaces) => {
    expect(await sshKeyProvider.diff!("ssh_x", olds, { ...base, ...change })).toEqual({ changes, replaces, deleteBeforeReplace: replaces.length > 0 });
  });

  it("check refuses a key that is not an OpenSSH line and defaults the tags to none", async () => {
    const bad = await sshKeyProvider.check!({} as SshKeyInputs, inputs({ publicKey: "not-a-key" }));
    expect(bad.failures?.map((f) => f.property)).toEqual(["publicKey"]);
    const good = await sshKeyProvider.check!({} as SshKeyInputs, inputs());
    expect(good).toMatchObject({ failures: [], inputs: { tagIds: [] } });
  });
});

describe("gone and going", () => {
  it("read after an out-of-band delete returns an empty id", async () => {
    const { id, outs } = await create(inputs());
    await oob.deleteSshKey(id);
    expect(await sshKeyProvider.read!(id, outs)).toMatchObject({ id: "" });
  });

  it("delete is idempotent: a second delete (404) succeeds", async () => {
    const { id, outs } = await create(inputs());
    await sshKeyProvider.delete!(id, outs);
    await expect(sshKeyProvider.delete!(id, outs)).resolves.toBeUndefined();
    expect(emulator.requests.filter((r) => r.method === "DELETE").map((r) => r.status)).toEqual([200, 404]);
  });
});
