// Vitest setup (vitest.config.mts and vitest.engine.config.mts): every exchange with an emulator in
// this process is judged by the official Latitude OpenAPI document; what it finds fails the test
// during which it happened, naming operation, field and complaint. The document is read when the
// first emulator starts, so files that never start one never load it.
import { afterAll, afterEach } from "vitest";
import { setExchangeObserver } from "../../emulator/exchangeObserver";
import { DEVIATIONS } from "./deviations";
import { decide, locateSpec } from "./locate";
import { Oracle } from "./oracle";
import { SpecIndex } from "./specIndex";
import { createSuiteObserver } from "./suiteObserver";

const WARNED = Symbol.for("cto-metal.latitudeSpec.warned");

const suite = createSuiteObserver({
  decide: () => decide(locateSpec()),
  build: (path) => new Oracle(SpecIndex.fromFile(path), DEVIATIONS),
  warn: (reason) => {
    // Once per worker process, however many files it runs.
    const flags = globalThis as Record<symbol, unknown>;
    if (flags[WARNED]) return;
    flags[WARNED] = true;
    console.warn(`\n*** WARNING: ${reason} ***\n`);
  },
});

setExchangeObserver(
  (exchange) => suite.observe(exchange),
  (routes) => suite.prepare(routes),
);

afterEach(() => suite.flush("during this test"));
afterAll(() => suite.flush("after the last test of this file"));
