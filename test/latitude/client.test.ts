// The client against the emulator over real HTTP on 127.0.0.1.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { LatitudeApiError, LatitudeClient, LatitudeUnknownOutcomeError, type LatitudeClientOptions } from "../../providers/latitude";
import { startEmulator, type Emulator } from "../../emulator";

const API_KEY = "client-test-key-0123456789";
let emulator: Emulator;
let keySeq = 0;

/** Each test gets its own key, so shared per-key limiters never leak between tests. */
function newClient(overrides: Partial<LatitudeClientOptions> = {}): LatitudeClient {
  return new LatitudeClient({
    apiUrl: emulator.url,
    apiKey: overrides.apiKey ?? `${API_KEY}-${++keySeq}`,
    backoff: { baseMs: 10, factor: 2, maxMs: 100 },
    pollIntervalMs: 25,
    ...overrides,
  });
}

async function newProject(client: LatitudeClient, name: string) {
  return client.createProject({ name, provisioning_type: "on_demand" });
}

beforeAll(async () => {
  emulator = await startEmulator({ deployMs: 150 });
});
afterAll(async () => {
  await emulator.close();
});
afterEach(() => {
  Object.assign(emulator.knobs, { rateLimit: false, rateLimitNext: 0, failNextReads: 0, resetNextReads: 0, loseNextServerPosts: 0, readErrorRate: 0 });
  emulator.clearLog();
});

const requestsTo = (method: string, path: string) => emulator.requests.filter((r) => r.method === method && r.path === path);

describe("paging", () => {
  it("walks every page of the regions and stops at the total", async () => {
    const client = newClient({ pageSize: 5 });
    const regions = await client.listRegions();
    const slugs = regions.map((r) => r.slug);
    expect(slugs.length).toBeGreaterThan(20);
    expect(new Set(slugs).size).toBe(slugs.length);
    expect(slugs).toContain("MIA2");
    expect(requestsTo("GET", "/regions")).toHaveLength(Math.ceil(slugs.length / 5));
  });

  it("sends filters as filter[...] and gets only matches", async () => {
    const client = newClient();
    const plans = await client.listPlans({ slug: "c2-small-x86" });
    expect(plans.map((p) => p.slug)).toEqual(["c2-small-x86"]);
    expect(plans[0]?.regions.some((r) => r.locations.in_stock.includes("MIA2"))).toBe(true);
    expect(requestsTo("GET", "/plans")[0]?.query).toEqual({ "filter[slug]": "c2-small-x86" });
  });
});

describe("retries", () => {
  it("absorbs a 429 storm by waiting retry_after; no 429 reaches the caller", async () => {
    emulator.knobs.rateLimit = { reads: 3, writes: 20, windowMs: 1000 };
    const client = newClient({ readLimit: false });
    const results = await Promise.all(Array.from({ length: 8 }, () => client.listTags()));
    expect(results).toHaveLength(8);
    const statuses = requestsTo("GET", "/tags").map((r) => r.status);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThan(0);
    expect(statuses.filter((s) => s === 200)).toHaveLength(8);
  });

  it("retries 5xx and connection resets on reads", async () => {
    const client = newClient();
    emulator.knobs.failNextReads = 2;
    emulator.knobs.resetNextReads = 1;
    await expect(client.listTags()).resolves.toBeInstanceOf(Array);
    expect(requestsTo("GET", "/tags").map((r) => r.status).sort()).toEqual([0, 200, 503, 503]);
  });

  it("does not count 429s against the retries a later reset needs", async () => {
    // Two 429s, then a reset: with 429s counted as attempts, maxAttempts 2 gave up on the reset.
    const client = newClient({ maxAttempts: 2 });
    emulator.knobs.rateLimitNext = 2;
    emulator.knobs.resetNextReads = 1;
    await expect(client.listTags()).resolves.toBeInstanceOf(Array);
    expect(requestsTo("GET", "/tags").map((r) => r.status)).toEqual([429, 429, 0, 200]);
  });

  it("never retries a POST whose response was lost, and says the outcome is unknown", async () => {
    const client = newClient();
    const project = await newProject(client, "lost-post");
    emulator.clearLog();
    emulator.knobs.loseNextServerPosts = 1;
    const create = client.createServer({ project: project.id, plan: "c2-small-x86", site: "MIA2", operating_system: "ubuntu_24_04_x64_lts", hostname: "lost-1", billing: "hourly" });
    await expect(create).rejects.toBeInstanceOf(LatitudeUnknownOutcomeError);
    expect(requestsTo("POST", "/servers")).toHaveLength(1);
    expect(emulator.servers().filter((s) => s.hostname === "lost-1")).toHaveLength(1);
    const found = await client.listServers({ project: project.id, hostname: "lost-1" });
    expect(found).toHaveLength(1);
  });

  it("does not retry a 4xx and reports it with the API's words", async () => {
    const client = newClient();
    const error = await client.createServer({ project: "proj_missing", plan: "c2-small-x86", site: "MIA2", operating_system: "ipxe", hostname: "x", billing: "hourly" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LatitudeApiError);
    expect((error as LatitudeApiError).status).toBe(422);
    expect(requestsTo("POST", "/servers")).toHaveLength(1);
  });
});

describe("writes behind a gateway error", () => {
  it("reports a POST answered 503 as an unknown outcome, not a refusal", async () => {
    const http = await import("node:http");
    const server = http.createServer((_req, res) => {
      res.writeHead(503, { "Content-Type": "text/html" });
      res.end("<html>Service Unavailable</html>");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as { port: number }).port;
    try {
      const client = newClient({ apiUrl: `http://127.0.0.1:${port}` });
      const error = await client.createTag({ name: "x" }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(LatitudeUnknownOutcomeError);
      expect((error as Error).message).toBe("Latitude POST /tags: no response (answered 503); the request may have been applied, so it is not retried");
    } finally {
      server.close();
    }
  });
});

describe("shared budgets", () => {
  it("holds one write budget across two independent client instances of the same key", async () => {
    const shared = { apiKey: `${API_KEY}-shared`, writeLimit: { limit: 3, windowMs: 400 } };
    const a = newClient(shared);
    const b = newClient(shared);
    await Promise.all([0, 1, 2, 3, 4].flatMap((i) => [a.createTag({ name: `budget-a-${i}` }), b.createTag({ name: `budget-b-${i}` })]));
    const posts = requestsTo("POST", "/tags").map((r) => r.startedAt).sort((x, y) => x - y);
    expect(posts).toHaveLength(10);
    for (let k = 3; k < posts.length; k++) expect(posts[k]! - posts[k - 3]!).toBeGreaterThanOrEqual(380);
  });

  it("answers many waiting servers with list calls, never a GET per server", async () => {
    const client = newClient({ writeLimit: { limit: 50, windowMs: 1000 } });
    const project = await newProject(client, "poller");
    const servers = await Promise.all(
      [1, 2, 3, 4, 5].map((i) =>
        client.createServer({ project: project.id, plan: "c2-small-x86", site: "MIA2", operating_system: "ubuntu_24_04_x64_lts", hostname: `poll-${i}`, billing: "hourly" }),
      ),
    );
    emulator.clearLog();
    const poller = client.serverPoller(project.id);
    const ready = await Promise.all(servers.map((s) => poller.waitFor(s.id, (seen) => seen?.status === "on", 5000)));
    expect(ready.map((s) => s?.status)).toEqual(["on", "on", "on", "on", "on"]);
    const lists = requestsTo("GET", "/servers");
    expect(lists.length).toBeGreaterThan(0);
    expect(lists.length).toBe(poller.listCalls);
    expect(emulator.requests.filter((r) => r.path.startsWith("/servers/"))).toHaveLength(0);
  });
});

describe("reads and deletes", () => {
  it("maps 404 to undefined on read and false on delete", async () => {
    const client = newClient();
    await expect(client.getServer("sv_doesnotexist1")).resolves.toBeUndefined();
    await expect(client.deleteServer("sv_doesnotexist1")).resolves.toBe(false);
    await expect(client.deleteSshKey("ssh_doesnotexist")).resolves.toBe(false);
  });

  it("deletes an SSH key (200 with meta) and a tag (204)", async () => {
    const client = newClient();
    const key = await client.createSshKey({ name: "k", public_key: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGq7YV3a1bU8lQd1a1iKqgQ0b8mF2bI1Vw0Qn6c0nZ2e test" });
    await expect(client.deleteSshKey(key.id)).resolves.toBe(true);
    const tag = await client.createTag({ name: "delete-me" });
    await expect(client.deleteTag(tag.id)).resolves.toBe(true);
    expect((await client.listTags()).some((t) => t.id === tag.id)).toBe(false);
  });

  it("surfaces the 406 of a VLAN that still has assignments", async () => {
    const client = newClient({ writeLimit: { limit: 50, windowMs: 1000 } });
    const project = await newProject(client, "vlan-406");
    const server = await client.createServer({ project: project.id, plan: "c2-small-x86", site: "MIA2", operating_system: "ubuntu_24_04_x64_lts", hostname: "vlan-1", billing: "hourly" });
    const vlan = await client.createVirtualNetwork({ site: "MIA2", project: project.id, description: "test" });
    await client.createVlanAssignment(server.id, vlan.id);
    const error = await client.deleteVirtualNetwork(vlan.id).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LatitudeApiError);
    expect((error as LatitudeApiError).status).toBe(406);
    expect((error as LatitudeApiError).code).toBe("VIRTUAL_NETWORK_DELETION_ERROR");
  });
});

describe("credentials", () => {
  it("keeps the key out of errors and the request log", async () => {
    const secret = "sentinel-secret-key-5f2c9a";
    const closed = await startEmulator({ apiKeys: ["some-other-key"] });
    try {
      const client = new LatitudeClient({ apiUrl: closed.url, apiKey: secret });
      const error = await client.listProjects().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(LatitudeApiError);
      expect((error as LatitudeApiError).status).toBe(401);
      expect(String((error as Error).message)).not.toContain(secret);
      expect(JSON.stringify(closed.requests)).not.toContain(secret);
    } finally {
      await closed.close();
    }
  });
});
