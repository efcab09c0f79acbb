// The engine tier's fixture: the Pulumi CLI built by scripts/build-engine.sh, a local file backend
// and a passphrase in a temporary directory, the program compiled to JavaScript in a temporary work
// dir (so no stack file lands in the repository), and the Latitude emulator on a free port.
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { LocalWorkspace, PulumiCommand, type ConfigMap, type Stack } from "@pulumi/pulumi/automation";

export const REPO = path.resolve(__dirname, "../..");
export const PULUMI_VERSION = "3.259.0";
const PASSPHRASE = "engine-tier-passphrase";

/** Where scripts/build-engine.sh installs the engine (PULUMI_OFFLINE_ROOT overrides). */
export function engineRoot(env: NodeJS.ProcessEnv = process.env): string {
  const cache = env["XDG_CACHE_HOME"] ?? path.join(os.homedir(), ".cache");
  return env["PULUMI_OFFLINE_ROOT"] ?? path.join(cache, "cto-metal", `pulumi-${PULUMI_VERSION}`);
}

/** Why the tier cannot run here, or undefined when it can. */
export function engineMissing(root = engineRoot()): string | undefined {
  for (const binary of ["pulumi", "pulumi-language-nodejs", "pulumi-resource-pulumi-nodejs"]) {
    if (!fs.existsSync(path.join(root, "bin", binary))) return `${path.join(root, "bin", binary)} is missing (run scripts/build-engine.sh)`;
  }
  return undefined;
}

/** The variables every CLI call of the tier runs with. */
export function stackEnv(fixture: Pick<EngineFixture, "backendDir" | "home">): Record<string, string> {
  return {
    PULUMI_BACKEND_URL: `file://${fixture.backendDir}`,
    PULUMI_HOME: fixture.home,
    PULUMI_CONFIG_PASSPHRASE: PASSPHRASE,
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
  };
}

export interface EngineFixture {
  root: string;
  workDir: string;
  backendDir: string;
  home: string;
  command: PulumiCommand;
  /** Every line the engine printed, for the plaintext-secret audit. */
  log: string[];
  stack(name: string, config: ConfigMap, env: Record<string, string>): Promise<Stack>;
  cleanup(): void;
}

export async function createFixture(): Promise<EngineFixture> {
  const root = engineRoot();
  const temp = fs.mkdtempSync(path.join(os.tmpdir(), "cto-metal-engine-"));
  const workDir = path.join(temp, "work");
  const backendDir = path.join(temp, "state");
  const home = path.join(temp, "home");
  for (const dir of [workDir, backendDir, home]) fs.mkdirSync(dir, { recursive: true });

  // The program as the engine runs it: compiled JavaScript, the repo's Pulumi.yaml (config
  // declarations included) with the runtime switched to plain JavaScript.
  execFileSync(path.join(REPO, "node_modules", ".bin", "tsc"), ["-p", path.join(REPO, "tsconfig.build.json"), "--outDir", path.join(workDir, "bin")], { stdio: "inherit" });
  const project = fs
    .readFileSync(path.join(REPO, "Pulumi.yaml"), "utf8")
    .replace(/\n {4}typescript: true/, "\n    typescript: false")
    .replace(/\nmain: index\.ts/, "\nmain: bin/index.js");
  fs.writeFileSync(path.join(workDir, "Pulumi.yaml"), project);
  fs.copyFileSync(path.join(REPO, "package.json"), path.join(workDir, "package.json"));
  fs.symlinkSync(path.join(REPO, "node_modules"), path.join(workDir, "node_modules"), "dir");

  const command = await PulumiCommand.get({ root });
  const log: string[] = [];
  return {
    root,
    workDir,
    backendDir,
    home,
    command,
    log,
    async stack(name, config, env) {
      const stack = await LocalWorkspace.createOrSelectStack(
        { stackName: name, workDir },
        { pulumiCommand: command, pulumiHome: home, envVars: { ...stackEnv({ backendDir, home }), ...env } },
      );
      await stack.setAllConfig(config);
      return stack;
    },
    cleanup() {
      fs.rmSync(temp, { recursive: true, force: true });
    },
  };
}

/** Collects engine output into the fixture log (and nowhere else). */
export function collect(fixture: EngineFixture): { onOutput: (line: string) => void } {
  return { onOutput: (line: string) => fixture.log.push(line) };
}
