// The refused-config scenario of bench/engine.bench.ts: `pulumi preview` of cto-test's Latitude
// layer with a good config beside the same preview refused for a typo and for an unknown plan, in
// one run, so that the time a newcomer waits for "what to change" is measured next to a success.
import type { ConfigMap, Stack } from "@pulumi/pulumi/automation";
import type { EngineFixture } from "../test/engine/harness";

export interface RefusedCase {
  name: string;
  /** Config keys set (or replaced) over the good config. */
  change: ConfigMap;
}

export const REFUSED_CASES: readonly RefusedCase[] = [
  { name: "good config", change: {} },
  { name: "misspelt key (cto-metal:biling)", change: { "cto-metal:biling": { value: "monthly" } } },
  { name: "unknown plan (cto-metal:plan 42)", change: { "cto-metal:plan": { value: "42" } } },
];

export interface RefusedTiming {
  name: string;
  wallS: number[];
  refused: boolean;
  /** What the CLI printed of the refusal: the diagnostics block, or "" for a success. */
  refusal: string;
  /** The SDK's noise around a thrown error; empty when the refusal is one clean block. */
  noise: string[];
}

const NOISE = ["unhandled exception", "    at ", "problems: ["];

export async function timeRefusals(fixture: EngineFixture, base: ConfigMap, env: Record<string, string>, runs: number): Promise<RefusedTiming[]> {
  const timings: RefusedTiming[] = [];
  for (const [index, c] of REFUSED_CASES.entries()) {
    const stack: Stack = await fixture.stack(`refused-${index}`, { ...base, ...c.change }, env);
    const wallS: number[] = [];
    let refusal = "";
    for (let i = 0; i < runs; i++) {
      const startedAt = Date.now();
      try {
        await stack.preview();
        refusal = "";
      } catch (error) {
        const text = error instanceof Error ? error.message : String(error);
        refusal = text.slice(text.indexOf("Diagnostics:")).split("\n").slice(0, 12).join("\n");
      }
      wallS.push(Math.round((Date.now() - startedAt) / 10) / 100);
    }
    timings.push({ name: c.name, wallS, refused: refusal !== "", refusal, noise: NOISE.filter((n) => refusal.includes(n)) });
  }
  return timings;
}
