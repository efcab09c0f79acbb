// Tier 4: a newcomer's mistakes through the real engine: `pulumi preview` refuses a misspelt key
// and an unknown plan as one `error:` block naming what to change, with no stack trace and no
// "unhandled exception", and nothing is written to Latitude. Times are measured in bench/, not here.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type Emulator } from "../../emulator";
import { emulatorEnv, latitudeOnlyConfig } from "./engineStack";
import { createFixture, engineMissing, type EngineFixture } from "./harness";

const missing = engineMissing();
if (missing) console.warn(`\n*** ENGINE TESTS SKIPPED (refusedConfig): ${missing} ***\n`);

let fixture: EngineFixture;
let emulator: Emulator;

/** What the CLI printed for a refused preview. */
async function refusal(name: string, extra: Record<string, string>): Promise<string> {
  const stack = await fixture.stack(name, latitudeOnlyConfig(name, [{ name: "cp1" }], extra), emulatorEnv(emulator));
  const error = await stack.preview().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, `${name}: the preview should be refused`).toBeInstanceOf(Error);
  return (error as Error).message;
}

describe.skipIf(missing !== undefined)("refused configs through the real engine", () => {
  beforeAll(async () => {
    emulator = await startEmulator({ deployMs: 1000 });
    fixture = await createFixture();
  });
  afterAll(async () => {
    fixture?.cleanup();
    await emulator?.close();
  });

  it("a misspelt key: the key that was meant, one block, no request at all", async () => {
    emulator.clearLog();
    const text = await refusal("typo", { biling: "monthly" });
    expect(text).toContain("error: Invalid stack configuration (stack typo):");
    expect(text).toContain("- cto-metal:biling: unknown key, the program does not read it; did you mean `cto-metal:billing`?");
    for (const noise of ["unhandled exception", "    at ", "ConfigError"]) expect(text).not.toContain(noise);
    expect(emulator.requests).toEqual([]);
  });

  it("an unknown plan: named with its key, one block, reads only", async () => {
    emulator.clearLog();
    const text = await refusal("noplan", { plan: "c2-smal-x86" });
    expect(text).toMatch(/error: Latitude catalogue check failed:\n\s+- cto-metal:plan \(node cp1\): plan c2-smal-x86 does not exist; similar plans: c2-small-x86/);
    for (const noise of ["unhandled exception", "    at ", "CatalogueError"]) expect(text).not.toContain(noise);
    expect(emulator.requests.filter((r) => r.method !== "GET")).toEqual([]);
  });
});
