// The Tag provider called directly, against the emulator over real HTTP.
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { LatitudeClient } from "../../providers/latitude/client";
import { tagProvider, type TagInputs, type TagOutputs } from "../../providers/latitude/tagProvider";
import { startEmulator, type Emulator } from "../../emulator";

const API_KEY = "tag-provider-test-key";
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
let emulator: Emulator;
/** Out of band: what a person in the dashboard, or an interrupted run, would do. */
let oob: LatitudeClient;
let seq = 0;

const inputs = (overrides: Partial<TagInputs> = {}): TagInputs => ({ providerVersion: "test", name: `cto-metal-tag-${++seq}`, ...overrides });
const create = (i: TagInputs) => tagProvider.create(i) as Promise<{ id: string; outs: TagOutputs }>;
const tagPosts = () => emulator.requests.filter((r) => r.method === "POST" && r.path === "/tags");

beforeAll(async () => {
  emulator = await startEmulator();
  vi.stubEnv("LATITUDESH_RATE_WINDOW_MS", "1000");
  const config: Record<string, string> = { "latitudesh:authToken": API_KEY, "latitudesh:apiUrl": emulator.url };
  await tagProvider.configure!({ config: { get: (key: string) => config[key], require: (key: string) => config[key] ?? "" } });
  oob = new LatitudeClient({ apiUrl: emulator.url, apiKey: `${API_KEY}-out-of-band`, writeLimit: { limit: 100, windowMs: 1000 } });
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await emulator.close();
});
afterEach(() => emulator.clearLog());

describe("tag lifecycle", () => {
  it("creates, reads, renames in place and deletes", async () => {
    const name = "cto-metal-cto-test";
    const { id, outs } = await create(inputs({ name, description: "managed by cto-metal", color: "#1f6feb" }));
    expect(id).toMatch(/^tag_/);
    expect(outs).toMatchObject({ tagId: id, name, description: "managed by cto-metal", color: "#1f6feb", providerVersion: "test" });

    const read = await tagProvider.read!(id, outs);
    expect(read).toEqual({ id, props: outs });

    const renamed = inputs({ name: "cto-metal-cto-test-2", description: "managed by cto-metal", color: "#1f6feb" });
    const diff = await tagProvider.diff!(id, outs, renamed);
    expect(diff).toMatchObject({ changes: true, replaces: [] });
    const updated = await tagProvider.update!(id, outs, renamed);
    expect(updated.outs).toMatchObject({ tagId: id, name: "cto-metal-cto-test-2" });
    expect(emulator.requests.filter((r) => r.method === "PATCH" && r.path === `/tags/${id}`)).toHaveLength(1);
    expect((await oob.listTags()).find((t) => t.id === id)?.name).toBe("cto-metal-cto-test-2");

    await tagProvider.delete!(id, updated.outs as TagOutputs);
    expect((await oob.listTags()).some((t) => t.id === id)).toBe(false);
  });

  it("an update of bookkeeping only (provider version) makes no API call", async () => {
    const { id, outs } = await create(inputs());
    emulator.clearLog();
    const news = { ...inputs({ name: outs.name }), providerVersion: "test-2" };
    expect(await tagProvider.diff!(id, outs, news)).toMatchObject({ changes: true, replaces: [] });
    const updated = await tagProvider.update!(id, outs, news);
    expect(updated.outs).toMatchObject({ providerVersion: "test-2", tagId: id, color: "#ffffff" });
    expect(emulator.requests.filter((r) => r.method !== "GET")).toHaveLength(0);
  });
});

describe("adopting after an interrupted create", () => {
  it("adopts a tag with exactly this name and brings its colour in line, without a POST", async () => {
    const name = "cto-metal-interrupted";
    const left = await oob.createTag({ name });
    emulator.clearLog();
    const { id, outs } = await create(inputs({ name, color: "#00ff00" }));
    expect(id).toBe(left.id);
    expect(outs.color).toBe("#00ff00");
    expect(tagPosts()).toHaveLength(0);
  });

  it("does not adopt a tag of another name", async () => {
    await oob.createTag({ name: "cto-metal-other-stack" });
    emulator.clearLog();
    const { id } = await create(inputs({ name: "cto-metal-this-stack" }));
    expect(tagPosts()).toHaveLength(1);
    expect((await oob.listTags()).find((t) => t.id === id)?.name).toBe("cto-metal-this-stack");
  });

  it("refuses a name Latitude finds too similar to another tag, and says what to do", async () => {
    await oob.createTag({ name: "Team Shared" });
    const error = (await create(inputs({ name: "team shared" })).catch((e: unknown) => e)) as Error;
    expect(error).toBeInstanceOf(Error);
    expect(error.message).toMatch(/NAME_TOO_SIMILAR/);
    expect(error.message).toMatch(/choose another tag name/);
  });
});

describe("diff", () => {
  const olds: TagOutputs = { providerVersion: "test", name: "cto-metal-a", tagId: "tag_x", description: "d", color: "#ffffff" };
  const cases: Array<[string, Partial<TagInputs>, boolean]> = [
    ["nothing", { name: "cto-metal-a" }, false],
    ["same description and colour (any case)", { name: "cto-metal-a", description: "d", color: "#FFFFFF" }, false],
    ["name", { name: "cto-metal-b" }, true],
    ["description", { name: "cto-metal-a", description: "e" }, true],
    ["colour", { name: "cto-metal-a", color: "#000000" }, true],
    ["name unknown at preview", { name: UNKNOWN }, true],
  ];
  it.each(cases)("%s %j → changes %s, never a replacement", async (_what, news, changes) => {
    const diff = await tagProvider.diff!("tag_x", olds, { providerVersion: "test", name: "", ...news });
    expect(diff).toEqual({ changes, replaces: [], deleteBeforeReplace: false });
  });

  it("check refuses a long name and a bad colour, and lets unknowns through", async () => {
    const long = await tagProvider.check!({} as TagInputs, inputs({ name: "x".repeat(41), color: "blue" }));
    expect(long.failures?.map((f) => f.property)).toEqual(["name", "color"]);
    const unknown = await tagProvider.check!({} as TagInputs, inputs({ name: UNKNOWN, color: UNKNOWN }));
    expect(unknown.failures).toEqual([]);
  });
});

describe("gone and going", () => {
  it("read after an out-of-band delete returns an empty id, so refresh drops it", async () => {
    const { id, outs } = await create(inputs());
    expect(await oob.deleteTag(id)).toBe(true);
    expect(await tagProvider.read!(id, outs)).toMatchObject({ id: "" });
  });

  it("delete is idempotent: a second delete (404) succeeds", async () => {
    const { id, outs } = await create(inputs());
    await tagProvider.delete!(id, outs);
    await expect(tagProvider.delete!(id, outs)).resolves.toBeUndefined();
    expect(emulator.requests.filter((r) => r.method === "DELETE").map((r) => r.status)).toEqual([204, 404]);
  });

  it("update of a tag deleted behind our back says to refresh", async () => {
    const { id, outs } = await create(inputs());
    await oob.deleteTag(id);
    await expect(tagProvider.update!(id, outs, inputs({ name: "cto-metal-renamed-gone" }))).rejects.toThrow(/pulumi refresh/);
  });

  it("refuses to import", async () => {
    await expect(tagProvider.read!("tag_x")).rejects.toThrow(/cannot be imported/);
  });
});
