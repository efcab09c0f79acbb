/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment --
   API responses are untyped JSON; these tests exist to assert their shape. */
// Rate limiting, fault injection, the request log and the CLI.
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { join } from "node:path";
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { startEmulator, type Emulator } from "../../emulator";
import { apiClient, freePort, waitFor, type ApiClient } from "./testing";

const doc = (type: string, attributes: Record<string, unknown>) => ({ data: { type, attributes } });

describe("rate limiting", () => {
  let emu: Emulator;
  beforeAll(async () => {
    emu = await startEmulator({ rateLimit: { reads: 3, writes: 2, windowMs: 800 } });
  });
  afterAll(() => emu.close());

  it("answers 429 RATE_LIMIT_EXCEEDED with meta.retry_after, per key and per class, until the window frees", async () => {
    const a = apiClient(emu.url, "key-a");
    for (let i = 0; i < 3; i++) expect((await a.get("/regions")).status).toBe(200);
    const limited = await a.get("/regions");
    expect(limited.status).toBe(429);
    expect(limited.body.errors[0]).toMatchObject({ code: "RATE_LIMIT_EXCEEDED", status: "429", title: "Rate Limit Exceeded" });
    expect(limited.body.errors[0].meta.retry_after).toBe(1);
    expect(limited.headers.get("retry-after")).toBeNull();
    // Writes have their own budget, and another key has its own.
    expect((await a.post("/tags", doc("tags", { name: "rl-1" }))).status).toBe(201);
    expect((await apiClient(emu.url, "key-b").get("/regions")).status).toBe(200);
    expect((await a.post("/tags", doc("tags", { name: "rl-2" }))).status).toBe(201);
    expect((await a.post("/tags", doc("tags", { name: "rl-3" }))).status).toBe(429);
    await waitFor(async () => ((await a.get("/regions")).status === 200 ? true : undefined), 3000, 100);
  });

  it("sends Retry-After when the knob asks, reports whole seconds, and switches off at runtime", async () => {
    emu.knobs.retryAfterHeader = true;
    emu.knobs.rateLimit = { reads: 1, writes: 1, windowMs: 2500 };
    const c = apiClient(emu.url, "key-c");
    expect((await c.get("/regions")).status).toBe(200);
    const limited = await c.get("/regions");
    expect(limited.status).toBe(429);
    expect(limited.body.errors[0].meta.retry_after).toBe(3);
    expect(limited.headers.get("retry-after")).toBe("3");
    emu.knobs.rateLimit = false;
    expect((await c.get("/regions")).status).toBe(200);
  });
});

describe("fault injection and the request log", () => {
  let emu: Emulator;
  let api: ApiClient;
  let project: string;
  const KEY = "super-secret-api-key-123";
  beforeAll(async () => {
    emu = await startEmulator({ deployMs: 50, seed: 42 });
    api = apiClient(emu.url, KEY);
    project = (await api.post("/projects", doc("projects", { name: "Faults", provisioning_type: "on_demand" }))).body.data.id;
  });
  afterAll(() => emu.close());

  it("failNextReads answers the next N GETs with 503 and leaves writes alone", async () => {
    emu.knobs.failNextReads = 2;
    expect((await api.post("/tags", doc("tags", { name: "during-faults" }))).status).toBe(201);
    const first = await api.get("/regions");
    expect(first.status).toBe(503);
    expect(first.body.errors[0].status).toBe("503");
    expect((await api.get("/regions")).status).toBe(503);
    expect((await api.get("/regions")).status).toBe(200);
  });

  it("resetNextReads destroys the socket with no response, logged as status 0", async () => {
    emu.knobs.resetNextReads = 1;
    emu.clearLog();
    await expect(fetch(`${emu.url}/regions`, { headers: { Authorization: KEY } })).rejects.toThrow();
    expect((await api.get("/regions")).status).toBe(200);
    expect(emu.requests.map((r) => [r.path, r.status])).toEqual([["/regions", 0], ["/regions", 200]]);
  });

  it("rateLimitNext answers the next N requests of any method with 429 and retry_after 1, before any other fault", async () => {
    emu.knobs.rateLimitNext = 2;
    emu.knobs.resetNextReads = 1;
    const refused = await api.post("/tags", doc("tags", { name: "stormed" }));
    expect(refused.status).toBe(429);
    expect(refused.body.errors[0]).toMatchObject({ code: "RATE_LIMIT_EXCEEDED", status: "429", meta: { retry_after: 1 } });
    expect((await api.get("/tags")).status).toBe(429);
    expect(emu.knobs.rateLimitNext).toBe(0);
    expect(emu.knobs.resetNextReads).toBe(1);
    await expect(fetch(`${emu.url}/regions`, { headers: { Authorization: KEY } })).rejects.toThrow();
    const tags = await api.get("/tags");
    expect(JSON.stringify(tags.body)).not.toContain("stormed");
  });

  it("readErrorRate 1 fails every GET with 502 or 503", async () => {
    emu.knobs.readErrorRate = 1;
    const statuses = [];
    for (let i = 0; i < 8; i++) statuses.push((await api.get("/regions")).status);
    emu.knobs.readErrorRate = 0;
    expect(statuses.every((s) => s === 502 || s === 503)).toBe(true);
    expect(new Set(statuses).size).toBe(2);
  });

  it("loseNextServerPosts creates the server but drops the connection", async () => {
    emu.knobs.loseNextServerPosts = 1;
    const body = doc("servers", { project, plan: "c2-small-x86", site: "MIA2", operating_system: "ubuntu_24_04_x64_lts", hostname: "lost-1", billing: "hourly" });
    await expect(api.post("/servers", body)).rejects.toThrow();
    expect(emu.knobs.loseNextServerPosts).toBe(0);
    const found = await api.get("/servers?filter[hostname]=lost-1");
    expect(found.body.data).toHaveLength(1);
    expect(emu.servers().map((s) => s.hostname)).toEqual(["lost-1"]);
    const logged = emu.requests.find((r) => r.method === "POST" && r.path === "/servers");
    expect(logged?.status).toBe(0);
    // The next POST answers normally.
    expect((await api.post("/servers", body)).status).toBe(201);
  });

  it("logs every request in order with query, body and a key hash, never the key", async () => {
    emu.clearLog();
    expect(emu.requests).toEqual([]);
    await api.get("/servers?filter[hostname]=x&page[size]=5");
    await api.post("/tags", doc("tags", { name: "logged" }));
    await apiClient(emu.url, null).get("/regions");
    const [list, post, anon] = emu.requests;
    expect(list).toMatchObject({ id: expect.any(Number), method: "GET", path: "/servers", query: { "filter[hostname]": "x", "page[size]": "5" }, status: 200 });
    expect(list?.keyHash).toBe(createHash("sha256").update(KEY).digest("hex").slice(0, 12));
    expect(list?.body).toBeUndefined();
    expect(post).toMatchObject({ method: "POST", path: "/tags", status: 201, body: doc("tags", { name: "logged" }) });
    expect(anon).toMatchObject({ status: 401, keyHash: "" });
    expect(emu.requests.every((r) => r.endedAt >= r.startedAt)).toBe(true);
    expect((list?.id ?? 0) < (post?.id ?? 0)).toBe(true);
    expect(JSON.stringify(emu.requests)).not.toContain(KEY);
  });
});

describe("CLI", () => {
  it("prints the listening line, serves the API and exits on SIGTERM", async () => {
    const port = await freePort();
    const root = join(__dirname, "..", "..");
    const child = spawn(process.execPath, [join(root, "node_modules", "tsx", "dist", "cli.mjs"), join(root, "emulator", "main.ts"), "--port", String(port), "--deploy-seconds", "0.1", "--talos-port", String(await freePort())], {
      cwd: root,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout.on("data", (c: Buffer) => (out += c.toString()));
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    try {
      await waitFor(() => (out.includes("\n") ? true : undefined), 15000, 50);
      expect(out).toBe(`Latitude emulator listening on http://127.0.0.1:${port}\n`);
      expect((await apiClient(`http://127.0.0.1:${port}`).get("/regions")).status).toBe(200);
    } finally {
      child.kill("SIGTERM");
    }
    expect(await exited).toBe(0);
  });
});
