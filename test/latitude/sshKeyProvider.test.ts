// The SshKey provider called directly, against the emulator over real HTTP. Recorded SSH key
// answers carry no `project` (latitude-api.md §19), the spec's do: adoption is checked with both
// (emulator knob sshKeyProject).
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { LatitudeClient } from "../../providers/latitude/client";
import { isInScope, isSameKey, md5Fingerprint } from "../../providers/latitude/sshKeyMatch";
import { sshKeyProvider, type SshKeyInputs, type SshKeyOutputs } from "../../providers/latitude/sshKeyProvider";
import { startEmulator, type Emulator } from "../../emulator";
import { sshPublicKey } from "../emulator/testing";
import { ED25519_KEY } from "../fixtures/configCases";

const API_KEY = "ssh-key-provider-test-key";
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
let emulator: Emulator;
/** Out of band: what a person in the dashboard, or an interrupted run, would do. */
let oob: LatitudeClient;
let projectId: string;
/** A project adopted with {"slug": ...}: nobody's identity in its description. */
let sharedProject: string;
/** This stack's tag: its description names the stack identity. */
let ourTag: string;
let seq = 0;
const PROJECT_SHAPES = ["absent", "embedded"] as const;

const STACK_IDENTITY = "0123456789abcdef";
const inputs = (overrides: Partial<SshKeyInputs> = {}): SshKeyInputs => ({ providerVersion: "test", name: `cto-metal-key-${++seq}`, publicKey: sshPublicKey().line, stackIdentity: STACK_IDENTITY, ...overrides });
const create = (i: SshKeyInputs) => sshKeyProvider.create(i) as Promise<{ id: string; outs: SshKeyOutputs }>;
const keyPosts = () => emulator.requests.filter((r) => r.method === "POST" && r.path === "/ssh_keys");
const newTag = async (name: string): Promise<string> => (await oob.createTag({ name })).id;
const postKey = async (attributes: { name: string; public_key: string; project?: string }): Promise<string> => (await oob.createSshKey(attributes)).id;
const keysNamed = async (name: string) => (await oob.listSshKeys()).filter((key) => key.name === name);

/** The next POST /ssh_keys reaches Latitude and creates the key, but its answer is lost. */
function loseNextKeyPost(): void {
  const real = globalThis.fetch;
  let armed = true;
  // The transport calls fetch(url: string, init).
  vi.stubGlobal("fetch", async (input: string, init?: RequestInit) => {
    const response = await real(input, init);
    if (armed && init?.method === "POST" && new URL(input).pathname === "/ssh_keys") {
      armed = false;
      await response.text();
      throw new TypeError("fetch failed", { cause: { code: "ECONNRESET" } });
    }
    return response;
  });
}

beforeAll(async () => {
  emulator = await startEmulator();
  vi.stubEnv("LATITUDESH_API_URL", emulator.url);
  vi.stubEnv("LATITUDESH_AUTH_TOKEN", API_KEY);
  vi.stubEnv("LATITUDESH_RATE_WINDOW_MS", "1000");
  oob = new LatitudeClient({ apiUrl: emulator.url, apiKey: `${API_KEY}-out-of-band`, writeLimit: { limit: 100, windowMs: 1000 } });
  // This stack's project: an untagged leftover in it is ours (providers/latitude/ownership.ts).
  projectId = (await oob.createProject({ name: "ssh-keys", provisioning_type: "on_demand", description: `owned by Pulumi stack cto-metal-test (stack identity ${STACK_IDENTITY})` })).id;
  sharedProject = (await oob.createProject({ name: "ssh-keys-shared", provisioning_type: "on_demand", description: "the team's shared project" })).id;
  ourTag = (await oob.createTag({ name: "cto-metal-test", description: `owned by Pulumi stack cto-metal-test (stack identity ${STACK_IDENTITY})` })).id;
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await emulator.close();
});
afterEach(() => {
  vi.unstubAllGlobals();
  emulator.knobs.sshKeyProject = "absent";
  emulator.clearLog();
});

describe("SSH key lifecycle", () => {
  it("creates a team key, reads it, renames and tags it in place, deletes it (200 {meta:{}})", async () => {
    const tagId = await newTag("cto-metal-ssh");
    const i = inputs({ publicKey: `${sshPublicKey("me@laptop").line}\n` });
    const { id, outs } = await create(i);
    expect(id).toMatch(/^ssh_/);
    expect(outs).toMatchObject({ sshKeyId: id, name: i.name, tagIds: [] });
    expect(outs.fingerprint).toMatch(/^([0-9a-f]{2}:){15}[0-9a-f]{2}$/);
    // Bound to no project: what the spec's answer shape shows as `project: {}`.
    emulator.knobs.sshKeyProject = "embedded";
    expect((await oob.getSshKey(id))?.project).toEqual({});
    emulator.knobs.sshKeyProject = "absent";

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
    emulator.knobs.sshKeyProject = "embedded";
    const key = await oob.getSshKey(id);
    expect(key?.project?.id).toBe(projectId);
    expect(key?.tags?.map((t) => t.id)).toEqual([tagId]);
    expect(outs.tagIds).toEqual([tagId]);
  });
});

describe("adopting after an interrupted create", () => {
  it.each(PROJECT_SHAPES)("adopts a key of the same scope, name and key material (comment aside), without a POST (project %s)", async (shape) => {
    emulator.knobs.sshKeyProject = shape;
    const key = sshPublicKey("ops@ci");
    const i = inputs({ projectId, publicKey: key.line });
    const left = await postKey({ name: i.name, public_key: key.line.replace("ops@ci", "other-comment"), project: projectId });
    emulator.clearLog();
    const { id } = await create(i);
    expect(id).toBe(left);
    expect(keyPosts()).toHaveLength(0);
  });

  it.each(PROJECT_SHAPES)("does not adopt a same-named key with another public key, nor one of another scope (project %s)", async (shape) => {
    emulator.knobs.sshKeyProject = shape;
    const i = inputs();
    await postKey({ name: i.name, public_key: sshPublicKey().line });
    const otherScope = await postKey({ name: i.name, public_key: i.publicKey, project: projectId });
    emulator.clearLog();
    const { id } = await create(i);
    expect(id).not.toBe(otherScope);
    expect(keyPosts()).toHaveLength(1);
    expect(await keysNamed(i.name)).toHaveLength(3);
    emulator.knobs.sshKeyProject = "embedded";
    expect((await oob.getSshKey(id))?.project).toEqual({});
  });
});

describe("a create whose answer is lost", () => {
  const scopes = [
    ["this stack's project", () => ({ projectId })],
    ["an adopted project", () => ({ projectId: sharedProject })],
    ["no project (team-wide)", () => ({})],
  ] as const;
  const cases = PROJECT_SHAPES.flatMap((shape) => scopes.map(([where, scope]) => [shape, where, scope] as const));

  it.each(cases)("adopts the key its POST made, with one POST and the stack's tag (project %s, %s)", async (shape, _where, scope) => {
    emulator.knobs.sshKeyProject = shape;
    const i = inputs({ ...scope(), tagIds: [ourTag] });
    loseNextKeyPost();
    const { id, outs } = await create(i);
    expect(keyPosts()).toHaveLength(1);
    const made = await keysNamed(i.name);
    expect(made.map((key) => key.id)).toEqual([id]);
    expect(made[0]?.tags?.map((tag) => tag.id)).toEqual([ourTag]);
    expect(outs.fingerprint).toBe(made[0]?.fingerprint);
  });

  it.each(PROJECT_SHAPES)("buys no duplicate when the next run creates it again (project %s)", async (shape) => {
    emulator.knobs.sshKeyProject = shape;
    const i = inputs({ projectId, tagIds: [ourTag] });
    loseNextKeyPost();
    const first = await create(i);
    // The engine never recorded it (say the run was killed): the next `up` creates it again.
    const again = await create(i);
    expect(again.id).toBe(first.id);
    expect(keyPosts()).toHaveLength(1);
    expect(await keysNamed(i.name)).toHaveLength(1);
  });
});

describe("a key that is someone else's", () => {
  it.each(PROJECT_SHAPES)("is never taken over for sharing its fingerprint under another name: a key of our own is registered beside it (project %s)", async (shape) => {
    emulator.knobs.sshKeyProject = shape;
    const key = sshPublicKey("me@laptop");
    const i = inputs({ projectId: sharedProject, publicKey: key.line, tagIds: [ourTag] });
    const theirs = await postKey({ name: "my laptop", public_key: key.line, project: sharedProject });
    emulator.clearLog();
    const { id } = await create(i);
    expect(id).not.toBe(theirs);
    expect(keyPosts()).toHaveLength(1);
    const untouched = await oob.getSshKey(theirs);
    expect([untouched?.name, untouched?.tags]).toEqual(["my laptop", []]);
    expect(emulator.requests.filter((r) => r.method !== "GET" && r.path === `/ssh_keys/${theirs}`)).toEqual([]);
  });
});

describe("matching helpers", () => {
  it("computes Latitude's fingerprint (colon MD5 of the key blob) locally, as ssh-keygen -E md5 does", () => {
    expect(md5Fingerprint(ED25519_KEY)).toBe("65:da:88:f5:9a:15:45:15:64:7b:3a:fb:46:d9:69:e2");
    expect(md5Fingerprint(`  ${ED25519_KEY.replace("ops@cto", "other comment")}\n`)).toBe("65:da:88:f5:9a:15:45:15:64:7b:3a:fb:46:d9:69:e2");
    expect(md5Fingerprint("not-a-key")).toBeUndefined();
  });

  it("takes the same key by fingerprint, or by key material when Latitude reports none", () => {
    const other = sshPublicKey().line;
    expect(isSameKey({ public_key: other, fingerprint: "65:DA:88:F5:9A:15:45:15:64:7B:3A:FB:46:D9:69:E2" }, ED25519_KEY)).toBe(true);
    expect(isSameKey({ public_key: ED25519_KEY, fingerprint: md5Fingerprint(other) }, ED25519_KEY)).toBe(false);
    expect(isSameKey({ public_key: `${ED25519_KEY} extra`, fingerprint: null }, ED25519_KEY)).toBe(true);
    expect(isSameKey({ public_key: other }, ED25519_KEY)).toBe(false);
  });

  it.each([
    ["absent project, project listing", undefined, "proj_A", true],
    ["absent project, team listing", undefined, undefined, true],
    ["team key ({}), project listing", {}, "proj_A", false],
    ["team key ({}), team listing", {}, undefined, true],
    ["this project by id", { id: "proj_A", slug: "a" }, "proj_A", true],
    ["another project", { id: "proj_B", slug: "b" }, "proj_A", false],
    ["a project key, team listing", { id: "proj_B", slug: "b" }, undefined, false],
  ] as const)("scope: %s → %s", (_what, project, wanted, inScope) => {
    expect(isInScope({ project }, wanted)).toBe(inScope);
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
