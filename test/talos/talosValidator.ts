// Runs tools/talos-validate, Talos' own machinery (v1.13.0, as the talos plugin 0.8.1 embeds it),
// on a render: it renders each node's config as the plugin does and validates it as a node does.
// Built by scripts/build-talos-validate.sh into the cache outside the repo (instant once built).
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import type { TalosRender } from "../../components/talos/talosRender";

const REPO = join(__dirname, "..", "..");

export interface NodeVerdict {
  readonly name: string;
  readonly role: string;
  readonly valid: boolean;
  readonly errors: readonly string[];
  readonly warnings: readonly string[];
}

export interface Verdict {
  /** 0: every node valid, no unaccepted warning; 1: an error or warning; 2: bad input. */
  readonly status: number;
  readonly machinery: string;
  readonly nodes: readonly NodeVerdict[];
  readonly stderr: string;
}

/** Why the validator tier cannot run here, or undefined when Go is on PATH. */
export function validatorUnavailable(): string | undefined {
  const go = spawnSync("go", ["version"], { encoding: "utf8" });
  return go.status === 0 ? undefined : "Go is not on PATH, so tools/talos-validate cannot be built";
}

/** Builds (or finds) the validator; returns its path. A cold build takes a few minutes. */
export function buildValidator(): string {
  const build = spawnSync(join(REPO, "scripts", "build-talos-validate.sh"), { encoding: "utf8", timeout: 20 * 60_000 });
  if (build.status !== 0) throw new Error(`scripts/build-talos-validate.sh failed (${build.status}):\n${build.stderr}`);
  return build.stdout.trim().split("\n").at(-1)!;
}

export function validate(binary: string, render: TalosRender, acceptWarnings: readonly RegExp[] = []): Verdict {
  const args = acceptWarnings.flatMap((pattern) => ["--accept-warning", pattern.source]);
  const run = spawnSync(binary, [...args, "-"], { input: JSON.stringify(render), encoding: "utf8", timeout: 120_000 });
  if (run.status === 2 || run.status === null) throw new Error(`talos-validate refused its input (${run.status}): ${run.stderr}`);
  const report = JSON.parse(run.stdout) as { machinery: string; nodes: NodeVerdict[] };
  return { status: run.status, machinery: report.machinery, nodes: report.nodes, stderr: run.stderr };
}
