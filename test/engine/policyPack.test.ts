// Tier 4: the policy pack (policy/) through the real engine, the way users run it —
// `pulumi preview --policy-pack policy --policy-pack-config <file>` — against the emulator. The
// engine starts the pack through the language host's RunPlugin (scripts/engine/languageHost.ts),
// which runs the SDK's run-policy-pack; the pack is TypeScript, compiled by its ts-node.
// Previews only: nothing is bought. Budget: under a minute on 2 cores.
import type { ConfigMap } from "@pulumi/pulumi/automation";
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pluginArguments } from "../../scripts/engine/languageHost";
import { startEmulator, type Emulator } from "../../emulator";
import { emulatorEnv, latitudeOnlyConfig } from "./engineStack";
import { collect, createFixture, engineMissing, REPO, type EngineFixture } from "./harness";

const missing = engineMissing();
if (missing) console.warn(`\n*** POLICY PACK ENGINE TESTS SKIPPED: ${missing} ***\n`);

const PACK = path.join(REPO, "policy");
const TEST_CONFIG = path.join(PACK, "config.cto-test.json");

describe("the language host's RunPlugin arguments", () => {
  const resolve = (module: string) => `/sdk/${module}.js`;
  const request = { kind: "analyzer", pwd: "/program", args: ["127.0.0.1:5000"], env: ["A=1", "PATH=/bin", "A=2"], programDirectory: "/repo/policy" };

  it("runs a policy pack with run-policy-pack in its own directory, engine address then pack directory", () => {
    expect(pluginArguments(resolve, request)).toEqual({
      nodeArgs: ["/sdk/@pulumi/pulumi/cmd/run-policy-pack.js", "127.0.0.1:5000", "/repo/policy"],
      env: { A: "2", PATH: "/bin", PULUMI_NODEJS_TYPESCRIPT: "true" },
      cwd: "/repo/policy",
    });
  });

  it("passes node options before the script, and runs other plugins with run-plugin in the engine's directory", () => {
    const run = pluginArguments(resolve, { ...request, kind: "resource", options: { nodeargs: "--max-old-space-size=512", typescript: false } }, {});
    expect(run).toEqual({
      nodeArgs: ["--max-old-space-size=512", "/sdk/@pulumi/pulumi/cmd/run-plugin.js", "/repo/policy", "127.0.0.1:5000"],
      env: { A: "2", PATH: "/bin" },
      cwd: "/program",
    });
  });

  it("inherits the host's environment only when the engine sends none", () => {
    expect(pluginArguments(resolve, { ...request, env: [] }, { HOME: "/root" }).env).toEqual({ HOME: "/root", PULUMI_NODEJS_TYPESCRIPT: "true" });
  });
});

describe.skipIf(missing !== undefined)("the policy pack through the real engine", () => {
  let fixture: EngineFixture;
  let emulator: Emulator;

  beforeAll(async () => {
    emulator = await startEmulator({ deployMs: 1000 });
    fixture = await createFixture();
  });
  afterAll(async () => {
    fixture?.cleanup();
    await emulator?.close();
  });

  const nodes = [{ name: "cp1", role: "controlplane" }, { name: "worker1", role: "worker" }];
  const config = (stack: string, extra: Record<string, string> = {}) => latitudeOnlyConfig(stack, nodes, extra);
  const writes = () => emulator.requests.filter((r) => r.method !== "GET");

  /** The preview's printed output, whether it passed or failed (a failed one rejects with it). */
  async function previewWithPack(stackName: string, stackConfig: ConfigMap, packConfig: string): Promise<{ ok: boolean; output: string }> {
    const stack = await fixture.stack(stackName, stackConfig, emulatorEnv(emulator));
    const lines: string[] = [];
    try {
      const result = await stack.preview({ policyPacks: [PACK], policyPackConfigs: [packConfig], onOutput: (line) => (lines.push(line), collect(fixture).onOutput(line)) });
      return { ok: true, output: `${lines.join("")}\n${result.stdout}` };
    } catch (error) {
      return { ok: false, output: `${lines.join("")}\n${String(error)}` };
    }
  }

  it("passes on a test stack billed hourly under the cto-test config, without a write to Latitude", async () => {
    emulator.clearLog();
    const { ok, output } = await previewWithPack("cto-test", config("cto-test"), TEST_CONFIG);
    expect(output).toContain("cto-metal@v0.1.0");
    expect(output).not.toMatch(/mandatory:/);
    expect(ok).toBe(true);
    expect(writes()).toEqual([]);
  });

  it("fails with the cost ceiling and the site allowlist when the budget is lowered and the site disallowed", async () => {
    const strict = path.join(fixture.workDir, "policy-strict.json");
    const base = JSON.parse(fs.readFileSync(TEST_CONFIG, "utf8")) as Record<string, unknown>;
    fs.writeFileSync(
      strict,
      JSON.stringify({ ...base, "latitude-cost-ceiling": { maxHourlyUsd: 0.25 }, "latitude-plan-site-allowlist": { allowedPlans: ["c2-small-x86"], allowedSites: ["DAL"] } }),
    );
    const { ok, output } = await previewWithPack("dev", config("dev"), strict);
    expect(ok).toBe(false);
    expect(output).toMatch(/\[mandatory\]\s+latitude-cost-ceiling/);
    // two c2-small-x86 at the emulator's $0.20/h each (listed in the order the engine registered them)
    expect(output).toContain("Latitude servers cost $0.400/h, over the budget of $0.250/h (");
    expect(output).toMatch(/\(cto-(cp1|worker1) \$0\.200\/h, cto-(cp1|worker1) \$0\.200\/h\)/);
    expect(output).toMatch(/\[mandatory\]\s+latitude-plan-site-allowlist/);
    expect(output).toContain('Latitude server cto-cp1: site "MIA2" is not allowed; allowed sites: DAL');
    expect(output).toContain('Latitude server cto-worker1: site "MIA2" is not allowed; allowed sites: DAL');
    expect(output).not.toMatch(/latitude-test-stack-billing/);
  });

  it("fails a test stack (pr-*) billed monthly, naming each server", async () => {
    const { ok, output } = await previewWithPack("pr-42", config("pr-42", { billing: "monthly" }), TEST_CONFIG);
    expect(ok).toBe(false);
    expect(output).toMatch(/\[mandatory\]\s+latitude-test-stack-billing/);
    for (const server of ["cp1", "worker1"]) {
      expect(output).toContain(`Latitude server cto-${server}: stack pr-42 is a test stack`);
    }
    expect(output).toContain('must bill hourly, got "monthly"');
    expect(output).not.toMatch(/latitude-cost-ceiling|latitude-plan-site-allowlist/);
  });
});
