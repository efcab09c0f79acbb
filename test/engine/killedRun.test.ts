// Tier 4: `pulumi up` killed with SIGKILL (the CLI's whole process group) while servers deploy,
// then the recovery procedure of docs/recovery.md, run with its exact commands: the next `up`
// converges with no duplicate server and nothing untracked, and destroy leaves nothing behind.
import { execFile, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import type { Stack } from "@pulumi/pulumi/automation";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type Emulator } from "../../emulator";
import { waitFor } from "../emulator/testing";
import { emulatorEnv, inventory, latitudeOnlyConfig, stateOf } from "./engineStack";
import { createFixture, engineMissing, stackEnv, type EngineFixture } from "./harness";

const missing = engineMissing();
if (missing) console.warn(`\n*** ENGINE TESTS SKIPPED (killed run): ${missing} ***\n`);

const NAME = "killed";
const KEY_NAME = "ops-killed";
const PUBLIC_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIMjzxQF9/eg8xULmugd0ro+pShpmJoQNmiiEkBOOlC+Y ops@cto";
let fixture: EngineFixture;
let emulator: Emulator;
let stack: Stack;

/** One CLI call as docs/recovery.md writes it; resolves with its exit code and output. */
function pulumi(args: string[]): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    execFile(fixture.command.command, [...args, "--stack", NAME, "--non-interactive"], { cwd: fixture.workDir, env: { ...process.env, ...stackEnv(fixture), ...emulatorEnv(emulator) }, maxBuffer: 16 << 20 }, (error, stdout, stderr) => {
      resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, out: `${stdout}\n${stderr}` });
    });
  });
}

/** Every process below `root` right now (by parent pid, read from /proc). */
function descendants(root: number): number[] {
  const parents = new Map<number, number>();
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
      parents.set(Number(entry), Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]));
    } catch {
      // gone meanwhile
    }
  }
  const found: number[] = [];
  const walk = (pid: number): void => {
    for (const [child, parent] of parents) {
      if (parent !== pid) continue;
      found.push(child);
      walk(child);
    }
  };
  walk(root);
  return found;
}

const alive = (pid: number): boolean => {
  try {
    return !/^\d+ \(.*\) Z/.test(fs.readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return false;
  }
};

function lockFiles(): string[] {
  const root = path.join(fixture.backendDir, ".pulumi", "locks");
  if (!fs.existsSync(root)) return [];
  return (fs.readdirSync(root, { recursive: true }) as string[]).filter((f) => f.endsWith(".json")).map((f) => path.join(root, f));
}

const stackServers = () => emulator.servers().filter((s) => s.hostname.includes(`-${NAME}-`));

describe.skipIf(missing !== undefined)("a `pulumi up` killed while servers deploy", () => {
  const survivors: number[] = [];
  let killedOutput = "";

  beforeAll(async () => {
    // Deploys long enough to kill the run in the middle of them.
    emulator = await startEmulator({ deployMs: 6000 });
    fixture = await createFixture();
    // Explicit roles: once any node has one, a node without one is a worker (config/schema.ts).
    const nodes = [{ name: "cp1", role: "controlplane" }, { name: "w1", role: "worker" }, { name: "w2", role: "worker" }];
    stack = await fixture.stack(NAME, latitudeOnlyConfig(NAME, nodes, { sshKeys: JSON.stringify([{ name: KEY_NAME, publicKey: PUBLIC_KEY }]), vlan: JSON.stringify({ subnet: "10.9.0.0/24" }) }), emulatorEnv(emulator));
  });
  afterAll(async () => {
    for (const pid of survivors) if (alive(pid)) process.kill(pid, "SIGKILL");
    fixture?.cleanup();
    await emulator?.close();
  });

  it("is killed (SIGKILL of the CLI's process group) once every server is bought and deploying", async () => {
    const child = spawn(fixture.command.command, ["up", "--yes", "--skip-preview", "--non-interactive", "--stack", NAME], {
      cwd: fixture.workDir,
      env: { ...process.env, ...stackEnv(fixture), ...emulatorEnv(emulator) },
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
    });
    child.stdout.on("data", (chunk: Buffer) => (killedOutput += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (killedOutput += chunk.toString()));
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once("exit", (_code, signal) => resolve(signal)));
    await waitFor(() => (stackServers().length === 3 && stackServers().every((s) => s.status !== "on") ? true : undefined), 60_000, 50);
    const tree = descendants(child.pid!);
    process.kill(-child.pid!, "SIGKILL");
    expect(await exited).toBe("SIGKILL");
    await new Promise((resolve) => setTimeout(resolve, 1500));
    // Plugins run in process groups of their own: what outlived the CLI is recorded, then stopped.
    survivors.push(...tree.filter(alive));
    const command = (pid: number): string => fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").slice(0, 2).map((part) => path.basename(part)).join(" ");
    console.info(`killed run: ${tree.length} processes under the CLI, outlived the kill: ${survivors.map(command).join("; ") || "none"}`);
    for (const pid of survivors) process.kill(pid, "SIGKILL");
    expect(stackServers().every((s) => s.status !== "on")).toBe(true);
  });

  it("leaves a lock and pending creates; the next up refuses until `pulumi cancel` removes the lock", async () => {
    expect(lockFiles()).toHaveLength(1);
    console.info(`killed run: lock ${path.relative(fixture.backendDir, lockFiles()[0]!)}`);
    const state = await stateOf(stack);
    console.info(`killed run: pending operations ${JSON.stringify(state.pending.map((p) => [p.type, p.resource.type]))}`);
    expect(state.pending.filter((p) => p.type === "creating" && p.resource.type === "pulumi-nodejs:dynamic/latitude:Server").length).toBeGreaterThan(0);
    const refused = await pulumi(["up", "--yes", "--skip-preview"]);
    expect(refused.code).not.toBe(0);
    expect(refused.out).toMatch(/locked/);
    // With the file backend too (3.259): cancel deletes the stack's lock file.
    const cancel = await pulumi(["cancel", "--yes"]);
    expect(cancel.code, cancel.out).toBe(0);
    expect(cancel.out).toMatch(/has been canceled/);
    expect(lockFiles()).toEqual([]);
  });

  it("recovers with `pulumi refresh --clear-pending-creates`, and the next up adopts instead of buying again", async () => {
    const refresh = await pulumi(["refresh", "--yes", "--clear-pending-creates"]);
    expect(refresh.code, refresh.out).toBe(0);
    expect((await stateOf(stack)).pending).toEqual([]);
    const bought = stackServers().map((s) => s.id).sort();
    emulator.clearLog();
    const up = await pulumi(["up", "--yes", "--skip-preview"]);
    expect(up.code, up.out).toBe(0);
    // no duplicate: the same three servers, now in state; nothing untracked
    expect(emulator.requests.filter((r) => r.method === "POST" && r.path === "/servers")).toEqual([]);
    expect(stackServers().map((s) => s.id).sort()).toEqual(bought);
    const state = await stateOf(stack);
    expect(state.pending).toEqual([]);
    expect(state.serverIds.sort()).toEqual(bought);
    expect(emulator.assignments().filter((a) => bought.includes(a.server))).toHaveLength(3);
    const inv = await inventory(emulator, NAME, KEY_NAME);
    expect([inv.projects.length, inv.tags.length, inv.vlans.length, inv.sshKeys.length]).toEqual([1, 1, 1, 1]);
    const ids = new Set(state.resources.map((r) => r.id));
    for (const id of [...inv.projects, ...inv.tags, ...inv.vlans, ...inv.sshKeys]) expect(ids.has(id)).toBe(true);
  });

  it("a second up changes nothing, and destroy leaves nothing of the stack", async () => {
    await stack.up({ expectNoChanges: true });
    await stack.destroy();
    expect(await inventory(emulator, NAME, KEY_NAME)).toEqual({ servers: [], projects: [], tags: [], vlans: [], sshKeys: [] });
    expect(emulator.assignments()).toEqual([]);
  });
});
