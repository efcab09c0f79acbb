// What the vitest setup (setup.ts) does with each exchange, apart from vitest itself so that it can
// be tested: find the spec on first need (or skip with one warning, or fail when references are
// required), judge every exchange, and report what was found, once per finding with its count.
import type { Exchange, ServedRoute } from "../../emulator/exchangeObserver";
import type { SpecDecision } from "./locate";
import { describeFinding, type Oracle } from "./oracle";

export interface SuiteObserver {
  /** As an emulator starts: load the spec and compile what it serves, so no answer waits for it. */
  prepare(routes: readonly ServedRoute[]): void;
  observe(exchange: Exchange): void;
  /** Throws, listing everything found since the last flush; `when` says where in the file. */
  flush(when: string): void;
}

export interface SuiteObserverOptions {
  decide: () => SpecDecision;
  build: (specPath: string) => Oracle;
  /** Told why the checks are skipped, at the first exchange (setup.ts warns once per worker). */
  warn: (reason: string) => void;
}

export function createSuiteObserver(opts: SuiteObserverOptions): SuiteObserver {
  const found: string[] = [];
  let oracle: Oracle | undefined;
  let decision: SpecDecision | undefined;
  let told = false;

  const load = (): Oracle | undefined => {
    decision ??= opts.decide();
    if ("use" in decision) oracle ??= opts.build(decision.use);
    return oracle;
  };

  return {
    prepare(routes) {
      try {
        load()?.precompile((method, path) => routes.some((r) => r.method === method && r.pattern.test(path)));
      } catch (err) {
        found.push(`the oracle could not load the spec: ${err instanceof Error ? err.message : String(err)}`);
      }
    },
    observe(exchange) {
      let o: Oracle | undefined;
      try {
        o = load();
        if (o) found.push(...o.check(exchange).findings.map(describeFinding));
      } catch (err) {
        // The emulator would only log it as a warning: a broken oracle must fail the test instead.
        found.push(`the oracle itself failed on ${exchange.method} ${exchange.path}: ${err instanceof Error ? err.message : String(err)}`);
        return;
      }
      if (o) return;
      if (told || decision === undefined) return;
      told = true;
      if ("fail" in decision) found.push(decision.fail);
      else if ("skip" in decision) opts.warn(decision.skip);
    },
    flush(when) {
      if (found.length === 0) return;
      const counts = new Map<string, number>();
      for (const f of found.splice(0)) counts.set(f, (counts.get(f) ?? 0) + 1);
      const lines = [...counts].map(([f, n]) => `- ${f}${n > 1 ? ` (×${n})` : ""}`);
      throw new Error(
        `The Latitude OpenAPI document (shared/reference/latitude-openapi.json) disagrees with the emulator ${when}:\n${lines.join("\n")}\n` +
          "Fix the emulator, or, where a recording of the real API shows the spec is wrong, add a deviation with its evidence to test/latitudeSpec/deviations.ts.",
      );
    },
  };
}
