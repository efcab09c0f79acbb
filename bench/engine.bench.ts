// Benchmark, not a test: `pulumi up` and `pulumi preview` through the real engine (the CLI built by
// scripts/build-engine.sh) against the in-process emulator at Latitude's real rate limit, with
// production settings (10 s poll, 18 writes + 55 reads paced per 60 s). Latitude layer only
// (cto-metal:stopAfter servers): the talos plugin cannot be built offline.
//
//   npx tsx bench/engine.bench.ts up --nodes 2 [--deploy-ms 60000] [--parallel 32] [--log-file <path>]
//   npx tsx bench/engine.bench.ts preview [--runs 3]        the Latitude layer of cto-test
//
// Prints one JSON summary, then one human line.
import { readFileSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { benchArgs, usageError } from "./cli";
import type { ConfigMap, EngineEvent, Stack } from "@pulumi/pulumi/automation";
import { load } from "js-yaml";
import { REAL_RATE_LIMIT, startEmulator, type Emulator, type RequestLogEntry } from "../emulator";
import { SENTINEL_TOKEN, latitudeOnlyConfig, rateLimitLines } from "../test/engine/engineStack";
import { createFixture, engineMissing, REPO, type EngineFixture } from "../test/engine/harness";
import { timeRefusals } from "./refusedConfig";
import { criticalPath, perServerRequests, type CriticalPath } from "./criticalPath";

const seconds = (ms: number): number => Math.round(ms) / 1000;
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

interface Run {
  emulator: Emulator;
  fixture: EngineFixture;
}

async function open(deployMs: number): Promise<Run> {
  const missing = engineMissing();
  if (missing) throw new Error(`the engine is missing: ${missing}`);
  // Production pacing: the program and the provider read these from the environment.
  delete process.env["LATITUDESH_POLL_INTERVAL_MS"];
  delete process.env["LATITUDESH_RATE_WINDOW_MS"];
  // The program has no Talos port setting: servers are probed on 50000, so the emulator listens there
  // (never run this next to the engine tier, whose emulator hands out the same addresses).
  const emulator = await startEmulator({ deployMs, rateLimit: REAL_RATE_LIMIT });
  return { emulator, fixture: await createFixture() };
}

async function close(run: Run): Promise<void> {
  run.fixture.cleanup();
  await run.emulator.close();
}

/** Runs `op`, returning its wall time and the engine's output lines. */
async function timed<T>(op: (hooks: { onOutput: (l: string) => void; onEvent: (e: EngineEvent) => void }) => Promise<T>, onEvent: (e: EngineEvent) => void = () => undefined) {
  const lines: string[] = [];
  const startedAt = Date.now();
  const result = await op({ onOutput: (line) => lines.push(line), onEvent });
  return { result, startedAt, wallMs: Date.now() - startedAt, lines };
}

function environment(deployMs: number) {
  const cpus = os.cpus();
  return { date: new Date().toISOString(), node: process.version, cpus: cpus.length, cpuModel: cpus[0]?.model ?? "unknown", deployMs, emulatorLimits: REAL_RATE_LIMIT };
}

async function upScenario(nodes: number, deployMs: number, parallel: number | undefined, logFile: string | undefined): Promise<void> {
  const run = await open(deployMs);
  const { emulator, fixture } = run;
  try {
    const name = `bench${nodes}`;
    const config = latitudeOnlyConfig(name, Array.from({ length: nodes }, (_, i) => ({ name: `n${String(i + 1).padStart(2, "0")}` })), { deployTimeoutMinutes: "30" });
    const stack = await fixture.stack(name, config, { LATITUDESH_API_URL: emulator.url });
    emulator.clearLog();
    // When the engine recorded each server's outputs (the server is ready then).
    const readyAt = new Map<string, number>();
    const up = await timed(
      (hooks) => stack.up({ ...hooks, ...(parallel !== undefined && { parallel }) }),
      (event) => {
        const urn = event.resOutputsEvent?.metadata.urn ?? "";
        if (urn.includes("latitude:Server::")) readyAt.set(urn, Date.now());
      },
    );
    if (up.result.summary.result !== "succeeded") throw new Error(`up ${up.result.summary.result}`);
    const log = [...emulator.requests];
    const firstWrite = log.find((entry) => entry.method !== "GET");
    const lastReady = Math.max(...readyAt.values());
    // The fixed steps, measured: a no-op preview is program start, plugin start, the catalogue
    // reads and the engine's shutdown, i.e. everything of an up but the resource operations.
    const previews: number[] = [];
    for (let i = 0; i < 2; i++) previews.push((await timed((hooks) => stack.preview({ ...hooks, expectNoChanges: true }))).wallMs);
    const path: CriticalPath = criticalPath({ log, deployMs, noopPreviewMs: median(previews), writesPerWindow: REAL_RATE_LIMIT.writes, windowMs: REAL_RATE_LIMIT.windowMs });
    const requests = perServerRequests(log, nodes);
    const summary = {
      scenario: `up --nodes ${nodes}${parallel !== undefined ? ` --parallel ${parallel}` : ""}`,
      // The CLI runs at most this many resource operations at once (default 4 × CPUs).
      parallel: parallel ?? os.cpus().length * 4,
      ...environment(deployMs),
      wallS: seconds(up.wallMs),
      firstWriteS: firstWrite ? seconds(firstWrite.startedAt - up.startedAt) : null,
      lastServerReadyS: seconds(lastReady - up.startedAt),
      engineTailS: seconds(up.startedAt + up.wallMs - lastReady),
      noopPreviewS: previews.map(seconds),
      criticalPath: { ...path, totalS: path.totalS },
      ratio: Math.round((up.wallMs / 1000 / path.totalS) * 1000) / 1000,
      requests,
      status429InEmulatorLog: log.filter((entry) => entry.status === 429).length,
      rateLimitLinesInEngineOutput: rateLimitLines(up.lines),
      tokenInOutput: up.lines.some((line) => line.includes(SENTINEL_TOKEN)),
      warnings: emulator.warnings,
    };
    console.log(JSON.stringify(summary, null, 2));
    console.log(
      `up ${nodes} nodes, ${seconds(deployMs)} s deploys: wall ${summary.wallS} s, critical path ${path.totalS} s ` +
        `(no-op preview ${path.fixedS} s + max(deploy ${path.deployBoundS} s, write floor ${path.writeFloorS} s)) → ratio ${summary.ratio}; ` +
        `${requests.total} requests (${requests.perServer}/server create→ready), 429s: ${summary.status429InEmulatorLog} in the emulator log, ${summary.rateLimitLinesInEngineOutput.length} in the engine output`,
    );
    if (logFile) writeFileSync(logFile, log.map(({ body: _body, ...entry }: RequestLogEntry) => JSON.stringify({ ...entry, t: seconds(entry.startedAt - up.startedAt) })).join("\n") + "\n");
    if (summary.rateLimitLinesInEngineOutput.length > 0) process.exitCode = 1;
  } finally {
    await close(run);
  }
}

/** cto-test's stack config (Pulumi.cto-test.yaml), stopped after the servers, token as a secret. */
function ctoTestConfig(): ConfigMap {
  const file = load(readFileSync(path.join(REPO, "Pulumi.cto-test.yaml"), "utf8")) as { config: Record<string, unknown> };
  const map: ConfigMap = {};
  for (const [key, value] of Object.entries(file.config)) map[key] = { value: typeof value === "string" ? value : JSON.stringify(value) };
  map["cto-metal:stopAfter"] = { value: "servers" };
  map["latitudesh:authToken"] = { value: SENTINEL_TOKEN, secret: true };
  return map;
}

async function previewScenario(runs: number): Promise<void> {
  const deployMs = 2000;
  const run = await open(deployMs);
  const { emulator, fixture } = run;
  try {
    const stack: Stack = await fixture.stack("cto-test", ctoTestConfig(), { LATITUDESH_API_URL: emulator.url });
    const fresh: number[] = [];
    for (let i = 0; i < runs; i++) fresh.push((await timed((hooks) => stack.preview(hooks))).wallMs);
    const freshReads = emulator.requests.length / runs;
    const up = await timed((hooks) => stack.up(hooks));
    const noop: number[] = [];
    emulator.clearLog();
    for (let i = 0; i < runs; i++) noop.push((await timed((hooks) => stack.preview({ ...hooks, expectNoChanges: true }))).wallMs);
    const summary = {
      scenario: "preview (cto-test, Latitude layer)",
      ...environment(deployMs),
      freshStackPreviewS: fresh.map(seconds),
      freshStackMedianS: seconds(median(fresh)),
      requestsPerFreshPreview: freshReads,
      upS: seconds(up.wallMs),
      noChangePreviewS: noop.map(seconds),
      noChangeMedianS: seconds(median(noop)),
      requestsPerNoChangePreview: emulator.requests.length / runs,
      writesDuringPreviews: emulator.requests.filter((entry) => entry.method !== "GET").length,
    };
    console.log(JSON.stringify(summary, null, 2));
    console.log(`preview cto-test (Latitude layer): fresh stack median ${summary.freshStackMedianS} s, no change median ${summary.noChangeMedianS} s (${runs} runs each)`);
  } finally {
    await close(run);
  }
}

async function refusedScenario(runs: number): Promise<void> {
  const run = await open(2000);
  try {
    const timings = await timeRefusals(run.fixture, ctoTestConfig(), { LATITUDESH_API_URL: run.emulator.url }, runs);
    console.log(JSON.stringify({ scenario: "refused config beside a good one (cto-test, Latitude layer)", ...environment(2000), timings }, null, 2));
    for (const t of timings) console.log(`${t.name}: ${t.refused ? "refused" : "ok"}, median ${seconds(median(t.wallS.map((s) => s * 1000)))} s${t.noise.length > 0 ? `, noise: ${t.noise.join(", ")}` : ""}`);
    if (timings.some((t) => t.noise.length > 0) || timings.filter((t) => !t.refused).length !== 1) process.exitCode = 1;
  } finally {
    await close(run);
  }
}

const USAGE = `Usage: npm run bench:engine -- <scenario> [options]
  up        pulumi up of the Latitude layer, N nodes, at Latitude's real rate limit
  preview   pulumi preview of cto-test's Latitude layer, fresh and unchanged
  refused   the same preview refused (a misspelt key, an unknown plan) beside a good one
Options:
  --nodes <n>         up: servers to rent, 1–50 (default 2)
  --deploy-ms <ms>    up: simulated deploy time (default 60000)
  --parallel <n>      up: passed to pulumi up --parallel
  --log-file <path>   up: the emulator's request log as JSON lines
  --runs <n>          preview, refused: runs of each kind (default 3)
  -h, --help          this text`;

async function main(): Promise<void> {
  const args = benchArgs(USAGE, { nodes: { type: "string" }, parallel: { type: "string" }, "deploy-ms": { type: "string" }, runs: { type: "string" }, "log-file": { type: "string" } });
  if (!args) return;
  const { values, scenario } = args;
  if (scenario === "up") {
    const nodes = Number(values.nodes ?? "2");
    const deployMs = Number(values["deploy-ms"] ?? "60000");
    if (!Number.isInteger(nodes) || nodes < 1 || nodes > 50) return usageError(`--nodes expects 1–50, got ${values.nodes}`, USAGE);
    if (!Number.isInteger(deployMs) || deployMs < 100) return usageError(`--deploy-ms expects milliseconds ≥ 100, got ${values["deploy-ms"]}`, USAGE);
    await upScenario(nodes, deployMs, values.parallel !== undefined ? Number(values.parallel) : undefined, values["log-file"]);
  } else if (scenario === "preview") {
    await previewScenario(Number(values.runs ?? "3"));
  } else if (scenario === "refused") {
    await refusedScenario(Number(values.runs ?? "3"));
  } else {
    usageError(`unknown scenario "${scenario ?? ""}": expected up, preview or refused`, USAGE);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
