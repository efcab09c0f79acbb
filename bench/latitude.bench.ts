// Benchmark, not a test (never part of `npm test`): what the Latitude server provider spends in API
// requests and how late it notices a ready server, against the emulator over real HTTP.
//
//   npx tsx bench/latitude.bench.ts deploy  [--deploy-ms 600000]   ours vs a Terraform-style 30 s poll
//   npx tsx bench/latitude.bench.ts fleet20 [--deploy-ms 60000]    20 servers under the real rate limit
//   --log-file <path>: also write the emulator's request log (JSON lines, no bodies) for evidence.
//
// Each scenario prints one JSON summary, then one human line. Production settings throughout:
// LATITUDESH_POLL_INTERVAL_MS and LATITUDESH_RATE_WINDOW_MS are removed, so the provider polls every
// 10 s and paces 18 writes + 55 reads per 60 s, and the emulator enforces the real 60 + 20 per 60 s.
import { writeFileSync } from "node:fs";
import * as os from "node:os";
import { LatitudeClient } from "../providers/latitude/client";
import { errorText, pollIntervalMs, providerClient, rateWindowMs } from "../providers/latitude/providerRuntime";
import { DEFAULT_READ_LIMIT, DEFAULT_WRITE_LIMIT } from "../providers/latitude/rateLimiter";
import { serverProvider } from "../providers/latitude/serverProvider";
import { IPXE, type ServerInputs } from "../providers/latitude/serverTypes";
import { REAL_RATE_LIMIT, startEmulator, type Emulator, type RequestLogEntry } from "../emulator";
import { keyHash } from "../emulator/ids";
import { freePort } from "../test/emulator/testing";
import { benchArgs, usageError } from "./cli";

const PLAN = "c2-small-x86";
const SITE = "MIA2";
const IPXE_URL = "https://pxe.factory.talos.dev/pxe/376567988ad370138ad8b2698212367b8edcb69b5fd68c80be1f2ec7d603b4ba/v1.13.0/metal-amd64";
/** The official Terraform provider's poll interval for server create and reinstall. */
const FIXED_POLL_MS = 30_000;
const SAMPLE_MS = 5;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const seconds = (ms: number): number => Math.round(ms) / 1000;

// --- what the emulator saw ------------------------------------------------------------------

/**
 * When each server really became ready. The emulator records no status-change time, so this
 * samples Emulator.servers() every SAMPLE_MS in-process: first `talosListening` (what our
 * readiness probes) and first status `on` (what the fixed poll waits for).
 */
class ReadyWatch {
  readonly talosAt = new Map<string, number>();
  readonly onAt = new Map<string, number>();
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly emulator: Emulator) {
    this.timer = setInterval(() => this.sample(), SAMPLE_MS);
  }

  private sample(): void {
    const now = Date.now();
    for (const server of this.emulator.servers()) {
      if (server.talosListening && !this.talosAt.has(server.id)) this.talosAt.set(server.id, now);
      if (server.status === "on" && !this.onAt.has(server.id)) this.onAt.set(server.id, now);
    }
  }

  stop(): void {
    clearInterval(this.timer);
  }
}

function kindOf(entry: RequestLogEntry): string {
  const path = entry.path.replace(/^\/servers\/[^/]+/, "/servers/{id}");
  if (entry.method === "GET" && path === "/servers") return entry.query["filter[hostname]"] !== undefined ? "GET /servers (adopt lookup)" : "GET /servers (status poll)";
  return `${entry.method} ${path}`;
}

function requestsOf(emulator: Emulator, apiKey: string): RequestLogEntry[] {
  const hash = keyHash(apiKey);
  return emulator.requests.filter((entry) => entry.keyHash === hash);
}

function postedHostname(entry: RequestLogEntry): string | undefined {
  const body = entry.body as { data?: { attributes?: { hostname?: unknown } } } | undefined;
  const hostname = body?.data?.attributes?.hostname;
  return typeof hostname === "string" ? hostname : undefined;
}

/** Most requests accepted in any sliding window of `windowMs` (what a limiter must keep under). */
function peakInWindow(entries: readonly RequestLogEntry[], windowMs: number): number {
  const times = entries.map((entry) => entry.startedAt).sort((a, b) => a - b);
  let peak = 0;
  for (let first = 0, last = 0; last < times.length; last++) {
    while ((times[last] ?? 0) - (times[first] ?? 0) >= windowMs) first++;
    peak = Math.max(peak, last - first + 1);
  }
  return peak;
}

function requestSummary(entries: readonly RequestLogEntry[], servers: number) {
  const byKind: Record<string, number> = {};
  for (const entry of entries) byKind[kindOf(entry)] = (byKind[kindOf(entry)] ?? 0) + 1;
  const perServer = Object.fromEntries(Object.entries(byKind).map(([kind, count]) => [kind, Math.round((count / servers) * 100) / 100]));
  return {
    total: entries.length,
    perServerTotal: Math.round((entries.length / servers) * 100) / 100,
    byKind,
    perServer,
    status429: entries.filter((entry) => entry.status === 429).length,
    otherErrors: entries.filter((entry) => entry.status >= 400 && entry.status !== 429).length,
  };
}

function spread(values: readonly number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number): number => seconds(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN);
  return { min: at(0), median: at(0.5), max: at(1), mean: seconds(sorted.reduce((sum, v) => sum + v, 0) / Math.max(1, sorted.length)) };
}

// --- the two clients ------------------------------------------------------------------------

interface Outcome {
  hostname: string;
  id?: string;
  detectedAt?: number;
  error?: string;
}

/**
 * Our provider, as the engine calls it. `create` resolves its client (hence the API key) from the
 * environment synchronously, before its first await, so every create started in this loop is bound
 * to `apiKey` even though the next group changes the variable right after.
 */
function oursCreate(apiKey: string, inputs: readonly ServerInputs[]): { outcomes: Promise<Outcome[]>; poller: { readonly listCalls: number } } {
  process.env["LATITUDESH_AUTH_TOKEN"] = apiKey;
  const outcomes = inputs.map((input) =>
    serverProvider.create(input).then(
      (result): Outcome => ({ hostname: input.hostname, id: result.id, detectedAt: Date.now() }),
      (error: unknown): Outcome => ({ hostname: input.hostname, id: (error as { id?: string }).id, error: errorText(error) }),
    ),
  );
  const poller = providerClient().serverPoller(inputs[0]?.projectId ?? "");
  return { outcomes: Promise.all(outcomes), poller };
}

interface JsonApiDoc {
  data?: { id?: string; attributes?: { status?: string } };
  errors?: Array<{ meta?: { retry_after?: number } }>;
}

/**
 * What the official Terraform provider does (plain fetch): POST /servers, then GET /servers/{id}
 * right away and again FIXED_POLL_MS after each answer, until status `on`; 429s are waited out.
 */
async function fixedPollCreate(apiUrl: string, apiKey: string, input: ServerInputs, timeoutMs: number): Promise<Outcome> {
  const call = async (method: "GET" | "POST", path: string, body?: unknown): Promise<JsonApiDoc> => {
    for (;;) {
      const response = await fetch(`${apiUrl}${path}`, {
        method,
        headers: { Authorization: apiKey, "API-Version": "2023-06-01", Accept: "application/vnd.api+json", ...(body !== undefined ? { "Content-Type": "application/json" } : {}) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const doc = (await response.json()) as JsonApiDoc;
      if (response.status === 429) {
        await sleep((doc.errors?.[0]?.meta?.retry_after ?? 1) * 1000);
        continue;
      }
      if (!response.ok) throw new Error(`${method} ${path}: HTTP ${response.status}`);
      return doc;
    }
  };
  const attributes = { project: input.projectId, plan: input.plan, site: input.site, operating_system: IPXE, ipxe: input.ipxeUrl, hostname: input.hostname, billing: input.billing };
  try {
    const id = (await call("POST", "/servers", { data: { type: "servers", attributes } })).data?.id;
    if (!id) throw new Error("POST /servers answered without an id");
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const status = (await call("GET", `/servers/${id}`)).data?.attributes?.status ?? "";
      if (status === "on") return { hostname: input.hostname, id, detectedAt: Date.now() };
      if (status.startsWith("failed_")) throw new Error(`server ${id}: ${status}`);
      if (Date.now() > deadline) throw new Error(`server ${id}: still ${status} after ${timeoutMs} ms`);
      await sleep(FIXED_POLL_MS);
    }
  } catch (error) {
    return { hostname: input.hostname, error: errorText(error) };
  }
}

// --- scenarios ------------------------------------------------------------------------------

interface Bench {
  emulator: Emulator;
  watch: ReadyWatch;
  setup: LatitudeClient;
  deployMs: number;
  /** Time zero of the timelines: set just before the first client request. */
  startedAt: number;
  logFile?: string;
}

async function openBench(deployMs: number, logFile: string | undefined): Promise<Bench> {
  const emulator = await startEmulator({ deployMs, talosPort: await freePort(), rateLimit: REAL_RATE_LIMIT });
  process.env["LATITUDESH_API_URL"] = emulator.url;
  delete process.env["LATITUDESH_POLL_INTERVAL_MS"];
  delete process.env["LATITUDESH_RATE_WINDOW_MS"];
  // Projects and the tag are made with a key of their own, so they count against no client.
  const setup = new LatitudeClient({ apiUrl: emulator.url, apiKey: "bench-setup" });
  return { emulator, watch: new ReadyWatch(emulator), setup, deployMs, startedAt: Date.now(), logFile };
}

async function closeBench(bench: Bench): Promise<void> {
  bench.watch.stop();
  await bench.emulator.close();
  if (bench.logFile) {
    const line = ({ body: _body, ...entry }: RequestLogEntry): string => JSON.stringify({ ...entry, t: seconds(entry.startedAt - bench.startedAt), kind: kindOf(entry) });
    writeFileSync(bench.logFile, bench.emulator.requests.map(line).join("\n") + "\n");
  }
}

function inputsFor(bench: Bench, projectId: string, tagIds: string[], hostnames: readonly string[]): ServerInputs[] {
  return hostnames.map((hostname) => ({
    providerVersion: "bench",
    projectId,
    nodeName: hostname,
    hostname,
    role: "worker",
    plan: PLAN,
    site: SITE,
    billing: "hourly",
    operatingSystem: IPXE,
    ipxeUrl: IPXE_URL,
    sshKeyIds: [],
    tagIds,
    stackTag: "cto-metal-bench",
    stackIdentity: "0123456789abcdef",
    hourlyPrice: 0,
    allowReinstall: false,
    allowReplace: false,
    talosPort: bench.emulator.talosPort,
    deployTimeoutSeconds: Math.ceil(bench.deployMs / 1000) + 1800,
  }));
}

const names = (prefix: string, count: number): string[] => Array.from({ length: count }, (_, i) => `${prefix}-${String(i + 1).padStart(2, "0")}`);

/** Per-server timeline and the group's request bill, all times in seconds from the scenario start. */
function groupReport(bench: Bench, apiKey: string, outcomes: readonly Outcome[], readyOn: "talos" | "on") {
  const entries = requestsOf(bench.emulator, apiKey);
  const servers = outcomes.map((outcome) => {
    // The accepted POST: a POST refused with 429 is retried and created nothing.
    const post = entries.find((entry) => entry.method === "POST" && entry.path === "/servers" && entry.status < 400 && postedHostname(entry) === outcome.hostname);
    const patch = entries.find((entry) => entry.method === "PATCH" && entry.path === `/servers/${outcome.id}` && entry.status < 400);
    const observed = outcome.id ? (readyOn === "talos" ? bench.watch.talosAt : bench.watch.onAt).get(outcome.id) : undefined;
    const at = (t: number | undefined): number | null => (t === undefined ? null : seconds(t - bench.startedAt));
    return {
      hostname: outcome.hostname,
      id: outcome.id ?? null,
      error: outcome.error ?? null,
      postS: at(post?.startedAt),
      patchS: at(patch?.startedAt),
      // The deploy timer starts while the POST is handled: ready lies in [POST start, POST end] + deployMs.
      readyComputedS: post ? [at(post.startedAt + bench.deployMs), at(post.endedAt + bench.deployMs)] : null,
      readyObservedS: at(observed),
      detectedS: at(outcome.detectedAt),
      postToDetectMs: post && outcome.detectedAt !== undefined ? outcome.detectedAt - post.startedAt : null,
      lagMs: observed !== undefined && outcome.detectedAt !== undefined ? outcome.detectedAt - observed : null,
    };
  });
  const postToDetect = servers.flatMap((s) => (s.postToDetectMs === null ? [] : [s.postToDetectMs]));
  const lags = servers.flatMap((s) => (s.lagMs === null ? [] : [s.lagMs]));
  return {
    servers: outcomes.length,
    failed: outcomes.filter((outcome) => outcome.error !== undefined).length,
    requests: requestSummary(entries, outcomes.length),
    postToDetectS: spread(postToDetect),
    detectionLagS: spread(lags),
    timeline: servers,
  };
}

function environment(bench: Bench, scenario: string) {
  const cpus = os.cpus();
  return {
    scenario,
    date: new Date(bench.startedAt).toISOString(),
    node: process.version,
    cpus: cpus.length,
    cpuModel: cpus[0]?.model ?? "unknown",
    deployMs: bench.deployMs,
    pollIntervalMs: pollIntervalMs(),
    fixedPollMs: FIXED_POLL_MS,
    clientLimits: { writes: DEFAULT_WRITE_LIMIT.limit, reads: DEFAULT_READ_LIMIT.limit, windowMs: rateWindowMs() },
    emulatorLimits: REAL_RATE_LIMIT,
    readySampleMs: SAMPLE_MS,
  };
}

async function deployScenario(bench: Bench, fleetSize: number): Promise<void> {
  const deployMs = bench.deployMs;
  try {
    const projects = await Promise.all(["ours-1", "fixed-1", `ours-${fleetSize}`, `fixed-${fleetSize}`].map((name) => bench.setup.createProject({ name: `bench-${name}`, provisioning_type: "on_demand" })));
    const [p1, p2, p3, p4] = projects.map((project) => project.id) as [string, string, string, string];
    // The stack tag every server of the program gets (ServerFleet): ours PATCHes it after the POST.
    const tag = await bench.setup.createTag({ name: "cto-metal-bench" });
    bench.emulator.clearLog();
    bench.startedAt = Date.now();
    const keys = { ours1: "bench-ours-1", fixed1: "bench-fixed-1", oursN: `bench-ours-${fleetSize}`, fixedN: `bench-fixed-${fleetSize}` };
    const timeoutMs = deployMs + 1_800_000;
    const ours1 = oursCreate(keys.ours1, inputsFor(bench, p1, [tag.id], names("bench-ours1", 1)));
    const oursN = oursCreate(keys.oursN, inputsFor(bench, p3, [tag.id], names(`bench-ours${fleetSize}`, fleetSize)));
    const fixed1 = Promise.all(inputsFor(bench, p2, [], names("bench-fixed1", 1)).map((input) => fixedPollCreate(bench.emulator.url, keys.fixed1, input, timeoutMs)));
    const fixedN = Promise.all(inputsFor(bench, p4, [], names(`bench-fixed${fleetSize}`, fleetSize)).map((input) => fixedPollCreate(bench.emulator.url, keys.fixedN, input, timeoutMs)));
    const [o1, f1, oN, fN] = await Promise.all([ours1.outcomes, fixed1, oursN.outcomes, fixedN]);
    const summary = {
      ...environment(bench, "deploy"),
      ours1: { ...groupReport(bench, keys.ours1, o1, "talos"), pollerListCalls: ours1.poller.listCalls },
      fixed1: groupReport(bench, keys.fixed1, f1, "on"),
      oursN: { ...groupReport(bench, keys.oursN, oN, "talos"), pollerListCalls: oursN.poller.listCalls },
      fixedN: groupReport(bench, keys.fixedN, fN, "on"),
      warnings: bench.emulator.warnings,
    };
    console.log(JSON.stringify(summary, null, 2));
    const { ours1: a, fixed1: b, oursN: c, fixedN: d } = summary;
    const failed = a.failed + b.failed + c.failed + d.failed;
    console.log(
      `deploy ${seconds(deployMs)} s, 1 server: ours ${a.requests.total} requests, detected ${a.postToDetectS.max} s after POST (lag ${a.detectionLagS.max} s); ` +
        `fixed 30 s poll ${b.requests.total} requests, ${b.postToDetectS.max} s (lag ${b.detectionLagS.max} s). ` +
        `${fleetSize} servers at once: ours ${c.requests.perServerTotal} requests/server (lag median ${c.detectionLagS.median} s), ` +
        `fixed poll ${d.requests.perServerTotal} requests/server (lag median ${d.detectionLagS.median} s); failures: ${failed}`,
    );
    if (failed > 0) process.exitCode = 1;
  } finally {
    await closeBench(bench);
  }
}

async function fleetScenario(bench: Bench, count: number): Promise<void> {
  const deployMs = bench.deployMs;
  try {
    const projectId = (await bench.setup.createProject({ name: "bench-fleet", provisioning_type: "on_demand" })).id;
    const tag = await bench.setup.createTag({ name: "cto-metal-bench" });
    bench.emulator.clearLog();
    const key = `bench-fleet${count}`;
    const startedAt = Date.now();
    bench.startedAt = startedAt;
    const fleet = oursCreate(key, inputsFor(bench, projectId, [tag.id], names(`bench-fleet${count}`, count)));
    const outcomes = await fleet.outcomes;
    const wallMs = Math.max(...outcomes.map((outcome) => outcome.detectedAt ?? Date.now())) - startedAt;
    const group = groupReport(bench, key, outcomes, "talos");
    const entries = requestsOf(bench.emulator, key);
    const writes = entries.filter((entry) => entry.method !== "GET");
    // The floor counts the writes the job needs (accepted ones); a write refused with 429 is retried.
    const needed = writes.filter((entry) => entry.status < 400);
    const posts = needed.filter((entry) => entry.method === "POST").length;
    const windowMs = REAL_RATE_LIMIT.windowMs;
    const windows = Math.ceil(needed.length / DEFAULT_WRITE_LIMIT.limit);
    const perWindow = (list: readonly RequestLogEntry[]): number[] => {
      const counts: number[] = [];
      for (const entry of list) {
        const slot = Math.floor((entry.startedAt - startedAt) / windowMs);
        counts[slot] = (counts[slot] ?? 0) + 1;
      }
      return Array.from(counts, (n) => n ?? 0);
    };
    const slowest = [...group.timeline].sort((x, y) => (y.detectedS ?? Infinity) - (x.detectedS ?? Infinity))[0];
    const summary = {
      ...environment(bench, `fleet${count}`),
      wallS: seconds(wallMs),
      ...group,
      writeBudget: {
        writesSent: writes.length,
        writesNeeded: needed.length,
        floorWindows: windows,
        // The last write cannot go before (windows − 1) full windows; the last POST's deploy adds to it.
        floorLastWriteS: seconds((windows - 1) * windowMs),
        floorWallS: seconds(Math.max((windows - 1) * windowMs, (Math.ceil(posts / DEFAULT_WRITE_LIMIT.limit) - 1) * windowMs + deployMs)),
        writesPerMinute: perWindow(writes),
        readsPerMinute: perWindow(entries.filter((entry) => entry.method === "GET")),
        // Accepted requests in any 60 s by arrival, as the emulator counts them (the client aims at ≤ 18 and ≤ 55).
        peakWritesIn60s: peakInWindow(needed, windowMs),
        peakReadsIn60s: peakInWindow(entries.filter((entry) => entry.method === "GET" && entry.status < 400), windowMs),
      },
      status429InEmulatorLog: group.requests.status429,
      status429ReachingCaller: outcomes.filter((outcome) => /\b429\b|RATE_LIMIT/.test(outcome.error ?? "")).length,
      pollerListCalls: fleet.poller.listCalls,
      slowest,
      warnings: bench.emulator.warnings,
    };
    console.log(JSON.stringify(summary, null, 2));
    const kinds = Object.entries(group.requests.perServer).map(([kind, n]) => `${kind} ${n}`).join(", ");
    console.log(
      `fleet${count}: ${count - group.failed}/${count} servers ready in ${summary.wallS} s (write floor: ${needed.length} writes / ${DEFAULT_WRITE_LIMIT.limit} = ${windows} windows, ≥ ${summary.writeBudget.floorWallS} s); ` +
        `${group.requests.total} requests = ${group.requests.perServerTotal}/server (${kinds}); 429s: ${summary.status429InEmulatorLog} in the emulator log, ${summary.status429ReachingCaller} reaching the caller`,
    );
    if (group.failed > 0 || summary.status429ReachingCaller > 0) process.exitCode = 1;
  } finally {
    await closeBench(bench);
  }
}

const USAGE = `Usage: npm run bench -- [scenario] [options]
  deploy    10 servers through the provider at Latitude's real rate limit (default)
  fleet20   20 servers, the request budget of a fleet
Options:
  --deploy-ms <ms>    simulated deploy time (default 600000 for deploy, 60000 for fleet20)
  --log-file <path>   the emulator's request log as JSON lines
  -h, --help          this text`;

async function main(): Promise<void> {
  const args = benchArgs(USAGE, { "deploy-ms": { type: "string" }, "log-file": { type: "string" } });
  if (!args) return;
  const { values } = args;
  const scenario = args.scenario ?? "deploy";
  if (scenario !== "deploy" && scenario !== "fleet20") return usageError(`unknown scenario "${scenario}": expected deploy or fleet20`, USAGE);
  const deployMs = values["deploy-ms"] !== undefined ? Number(values["deploy-ms"]) : scenario === "deploy" ? 600_000 : 60_000;
  if (!Number.isInteger(deployMs) || deployMs < 100) return usageError(`--deploy-ms expects an integer number of milliseconds ≥ 100, got ${values["deploy-ms"]}`, USAGE);
  const bench = await openBench(deployMs, values["log-file"]);
  if (scenario === "deploy") await deployScenario(bench, 10);
  else await fleetScenario(bench, 20);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
