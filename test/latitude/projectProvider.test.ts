// The Project provider and the adopt-by-slug lookup, against the emulator over real HTTP.
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { LatitudeClient } from "../../providers/latitude/client";
import { projectProvider, type ProjectInputs, type ProjectOutputs } from "../../providers/latitude/projectProvider";
import { findProjectBySlug } from "../../providers/latitude/projectLookup";
import { startEmulator, type Emulator } from "../../emulator";

const API_KEY = "project-provider-test-key";
const OURS = "managed by cto-metal stack cto-test";
let emulator: Emulator;
/** Out of band: what a person in the dashboard, or an interrupted run, would do. */
let oob: LatitudeClient;
let seq = 0;

const inputs = (overrides: Partial<ProjectInputs> = {}): ProjectInputs => ({
  providerVersion: "test",
  name: `cto-metal-project-${++seq}`,
  description: OURS,
  provisioningType: "on_demand",
  ...overrides,
});
const create = (i: ProjectInputs) => projectProvider.create(i) as Promise<{ id: string; outs: ProjectOutputs }>;
const projectPosts = () => emulator.requests.filter((r) => r.method === "POST" && r.path === "/projects");
const postProject = (attributes: { name: string; description?: string }) => oob.createProject({ provisioning_type: "on_demand", ...attributes });

beforeAll(async () => {
  emulator = await startEmulator({ deployMs: 50 });
  vi.stubEnv("LATITUDESH_RATE_WINDOW_MS", "1000");
  const config: Record<string, string> = { "latitudesh:authToken": API_KEY, "latitudesh:apiUrl": emulator.url };
  await projectProvider.configure!({ config: { get: (key: string) => config[key], require: (key: string) => config[key] ?? "" } });
  oob = new LatitudeClient({ apiUrl: emulator.url, apiKey: `${API_KEY}-out-of-band`, writeLimit: { limit: 100, windowMs: 1000 } });
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await emulator.close();
});
afterEach(() => emulator.clearLog());

describe("project lifecycle", () => {
  it("creates, reads, updates name, description and environment in place, deletes", async () => {
    const i = inputs({ name: "CTO Metal Test", environment: "Development" });
    const { id, outs } = await create(i);
    expect(id).toMatch(/^proj_/);
    expect(outs).toMatchObject({ projectId: id, slug: "cto-metal-test", name: "CTO Metal Test", description: OURS, environment: "Development" });

    expect(await projectProvider.read!(id, outs)).toEqual({ id, props: outs });

    const news = { ...i, name: "CTO Metal Test 2", description: `${OURS} (moved)`, environment: "Staging" as const };
    expect(await projectProvider.diff!(id, outs, news)).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
    const updated = await projectProvider.update!(id, outs, news);
    // The slug stays as created: the program and the dashboard address the project by it.
    expect(updated.outs).toMatchObject({ projectId: id, slug: "cto-metal-test", name: "CTO Metal Test 2", environment: "Staging" });
    expect(await oob.findProject(id)).toMatchObject({ name: "CTO Metal Test 2", description: news.description, environment: "Staging" });

    await projectProvider.delete!(id, updated.outs as ProjectOutputs);
    expect(await oob.findProject(id)).toBeUndefined();
  });

  it("refuses to delete a project that still holds servers, names them and says what to do, at once", async () => {
    const { id, outs } = await create(inputs());
    const holder = await oob.createServer({ project: id, plan: "c2-small-x86", site: "MIA2", operating_system: "ubuntu_24_04_x64_lts", hostname: "project-holder", billing: "hourly" });
    const started = Date.now();
    await expect(projectProvider.delete!(id, outs)).rejects.toThrow(
      new RegExp(`^Latitude project ${outs.slug} cannot be deleted yet: .*; it still holds server\\(s\\) ${holder.id} \\(project-holder\\): delete them and run the command again$`),
    );
    expect(Date.now() - started).toBeLessThan(1000);
    expect(emulator.requests.filter((r) => r.method === "DELETE").map((r) => r.status)).toEqual([422]);
  });

  // Server deletes do not wait for the server to leave lists (latitude-api.md §19): the project's
  // delete, right after them in a destroy, must not fail for a deleted server still listed.
  // Whether the real API refuses a project delete then is unrecorded; the emulator does not, so
  // `refusedOnce` answers the first DELETE as an API that counts the listed server would.
  it.each([
    ["Latitude deletes it at once", false],
    ["Latitude refuses it (422) while the deleted server is listed", true],
  ])("deletes a project whose servers were deleted a moment ago but are still listed: %s", async (_what, refusedOnce) => {
    emulator.knobs.deletedServerListedMs = 1500;
    try {
      const { id, outs } = await create(inputs());
      const server = await oob.createServer({ project: id, plan: "c2-small-x86", site: "MIA2", operating_system: "ubuntu_24_04_x64_lts", hostname: "project-leaver", billing: "hourly" });
      await oob.deleteServer(server.id);
      expect((await oob.listServers({ project: id })).map((s) => s.id)).toEqual([server.id]);
      let refusals = 0;
      if (refusedOnce) {
        const real = globalThis.fetch;
        vi.stubGlobal("fetch", (input: string, init?: RequestInit) => {
          if (refusals === 0 && init?.method === "DELETE" && new URL(input).pathname === `/projects/${id}`) {
            refusals++;
            const body = { errors: [{ code: "PROJECT_HAS_ACTIVE_RESOURCES", status: "422", title: "Project Has Active Resources", detail: "delete them first" }] };
            return Promise.resolve(new Response(JSON.stringify(body), { status: 422, headers: { "Content-Type": "application/vnd.api+json" } }));
          }
          return real(input, init);
        });
      }
      emulator.clearLog();
      await projectProvider.delete!(id, outs);
      expect(refusals).toBe(refusedOnce ? 1 : 0);
      expect(await oob.findProject(id)).toBeUndefined();
      // refused: it looked why (the list, and the listed server's 404), then asked again
      const looked = emulator.requests.filter((r) => r.path === `/servers/${server.id}`).map((r) => [r.method, r.status]);
      expect(looked).toEqual(refusedOnce ? [["GET", 404]] : []);
    } finally {
      vi.unstubAllGlobals();
      emulator.knobs.deletedServerListedMs = 0;
    }
  }, 15_000);
});

describe("adopting after an interrupted create, and name clashes", () => {
  it("adopts a same-named project with our description, without a POST", async () => {
    const i = inputs({ environment: "Production" });
    const left = await postProject({ name: i.name, description: OURS });
    emulator.clearLog();
    const { id, outs } = await create(i);
    expect(id).toBe(left.id);
    expect(outs.environment).toBe("Production");
    expect(projectPosts()).toHaveLength(0);
  });

  it("never takes a same-named project with another description: the error names the config key and the slug to adopt", async () => {
    const theirs = await postProject({ name: "Shared Infra", description: "the platform team's" });
    emulator.clearLog();
    const error = (await create(inputs({ name: "Shared Infra" })).catch((e: unknown) => e)) as Error;
    expect(error.message).toContain("cto-metal:project");
    expect(error.message).toContain(`{"slug": "${theirs.slug}"}`);
    expect(error.message).toContain('"the platform team\'s"');
    expect(projectPosts()).toHaveLength(0);
  });

  it("names the clash when only the slug collides (the name filter does not show it)", async () => {
    const theirs = await postProject({ name: "clash-slug" });
    const error = (await create(inputs({ name: "Clash Slug" })).catch((e: unknown) => e)) as Error;
    expect(error.message).toContain(`{"slug": "${theirs.slug}"}`);
    expect(error.message).toContain("no description");
  });
});

describe("diff", () => {
  const olds: ProjectOutputs = { providerVersion: "test", name: "p", description: OURS, environment: "Development", provisioningType: "on_demand", projectId: "proj_x", slug: "p" };
  const base: ProjectInputs = { providerVersion: "test", name: "p", description: OURS, environment: "Development", provisioningType: "on_demand" };
  const cases: Array<[string, Partial<ProjectInputs>, boolean, string[]]> = [
    ["nothing", {}, false, []],
    ["environment left out (not managed)", { environment: undefined }, false, []],
    ["name", { name: "q" }, true, []],
    ["description", { description: "managed by cto-metal stack other" }, true, []],
    ["environment", { environment: "Production" }, true, []],
    ["provider version", { providerVersion: "test-2" }, true, []],
    ["provisioning type", { provisioningType: "reserved" }, true, ["provisioningType"]],
  ];
  it.each(cases)("%s %j → changes %s, replaces %j", async (_what, change, changes, replaces) => {
    // A replacement deletes first: names are unique, and a create-first would adopt the old one.
    expect(await projectProvider.diff!("proj_x", olds, { ...base, ...change })).toEqual({ changes, replaces, deleteBeforeReplace: replaces.length > 0 });
  });

  it("check wants a description and known provisioning types", async () => {
    const bad = await projectProvider.check!({} as ProjectInputs, { ...inputs({ description: "" }), provisioningType: "spot" as "reserved" });
    expect(bad.failures?.map((f) => f.property)).toEqual(["description", "provisioningType"]);
  });
});

describe("gone and going", () => {
  it("read after an out-of-band delete returns an empty id", async () => {
    const { id, outs } = await create(inputs());
    await oob.deleteProject(id);
    expect(await projectProvider.read!(id, outs)).toMatchObject({ id: "" });
  });

  it("delete is idempotent: a second delete (404) succeeds", async () => {
    const { id, outs } = await create(inputs());
    await projectProvider.delete!(id, outs);
    await expect(projectProvider.delete!(id, outs)).resolves.toBeUndefined();
    expect(emulator.requests.filter((r) => r.method === "DELETE").map((r) => r.status)).toEqual([204, 404]);
  });
});

describe("findProjectBySlug (adopting an existing project)", () => {
  it("finds a project by slug, and for a missing slug lists at most 10 that exist", async () => {
    const lookupEmulator = await startEmulator();
    try {
      const client = new LatitudeClient({ apiUrl: lookupEmulator.url, apiKey: `${API_KEY}-lookup` });
      const created = [];
      for (let n = 1; n <= 12; n++) created.push(await client.createProject({ name: `team-${String(n).padStart(2, "0")}`, provisioning_type: "on_demand" }));
      expect((await findProjectBySlug(client, "team-07")).id).toBe(created[6]?.id);
      const error = (await findProjectBySlug(client, "team-7").catch((e: unknown) => e)) as Error;
      expect(error.message).toMatch(/^cto-metal:project: no Latitude project with slug "team-7"/);
      expect(error.message).toContain("team-01, team-02, team-03, team-04, team-05, team-06, team-07, team-08, team-09, team-10 and 2 more");
      expect(error.message).not.toContain("team-11");
    } finally {
      await lookupEmulator.close();
    }
  });

  it("says when the key sees no project at all", async () => {
    const empty = await startEmulator();
    try {
      const client = new LatitudeClient({ apiUrl: empty.url, apiKey: `${API_KEY}-empty` });
      await expect(findProjectBySlug(client, "anything")).rejects.toThrow(/sees no projects at all/);
    } finally {
      await empty.close();
    }
  });
});
