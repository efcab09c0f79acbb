/* eslint-disable @typescript-eslint/no-unsafe-member-access --
   API responses are untyped JSON. */
// What the suite does with exchanges: the skip / require rule when the spec is missing, how
// findings are reported, and the whole path from a real emulator through its observer.
import { afterEach, describe, expect, it } from "vitest";
import { startEmulator } from "../../emulator";
import { setExchangeObserver, type Exchange } from "../../emulator/exchangeObserver";
import { apiClient } from "../emulator/testing";
import { DEVIATIONS } from "./deviations";
import type { SpecDecision } from "./locate";
import { Oracle } from "./oracle";
import { specAvailable, specIndex } from "./specForTests";
import { createSuiteObserver } from "./suiteObserver";

const EXCHANGE: Exchange = { method: "GET", path: "/regions", query: {}, requestHeaders: {}, requestBody: undefined, status: 200, responseBody: { data: [], meta: {} } };

function observerWith(decision: SpecDecision, build: (path: string) => Oracle = () => new Oracle(specIndex(), DEVIATIONS)) {
  const warnings: string[] = [];
  const suite = createSuiteObserver({ decide: () => decision, build, warn: (w) => warnings.push(w) });
  return { suite, warnings };
}

describe("without the spec", () => {
  const unusable = () => {
    throw new Error("no spec to build from");
  };

  it("skips with one warning, and no test fails", () => {
    const { suite, warnings } = observerWith({ skip: "spec missing; SKIPPED" }, unusable);
    suite.prepare([]);
    suite.observe(EXCHANGE);
    suite.observe(EXCHANGE);
    expect(warnings).toEqual(["spec missing; SKIPPED"]);
    expect(() => suite.flush("now")).not.toThrow();
  });

  it("fails the test once when references are required", () => {
    const { suite, warnings } = observerWith({ fail: "spec missing; required" }, unusable);
    suite.observe(EXCHANGE);
    suite.observe(EXCHANGE);
    expect(() => suite.flush("during this test")).toThrow(/disagrees with the emulator during this test:\n- spec missing; required\n/);
    expect(() => suite.flush("later")).not.toThrow();
    expect(warnings).toEqual([]);
  });
});

describe.skipIf(!specAvailable)("with the spec", () => {
  let restore: (() => void) | undefined;
  afterEach(() => restore?.());

  it("lists each finding once with its count, then starts afresh", () => {
    const { suite } = observerWith({ use: "in memory" });
    const invented = { ...EXCHANGE, responseBody: { data: [{ id: "loc_x", attributes: { slug: "SAO", weather: "sunny" } }], meta: {} } };
    suite.observe(invented);
    suite.observe(invented);
    suite.observe(EXCHANGE);
    expect(() => suite.flush("during this test")).toThrow("- GET /regions (get-regions) response /data/0/attributes/weather: the spec's schema has no such field (an answer may only carry fields the spec or a recording shows) (×2)\n");
    expect(() => suite.flush("during the next test")).not.toThrow();
  });

  it("sees a real emulator's exchanges: our client's refused request is a finding, the raw test client's is not", async () => {
    const { suite } = observerWith({ use: "in memory" });
    restore = setExchangeObserver(
      (x) => suite.observe(x),
      (routes) => suite.prepare(routes),
    );
    const emu = await startEmulator();
    try {
      expect((await apiClient(emu.url).get("/servers?filter[colour]=red")).status).toBe(400);
      expect(() => suite.flush("for the raw client")).not.toThrow();
      const product = await fetch(`${emu.url}/servers?filter[colour]=red`, { headers: { Authorization: "Bearer k" } });
      expect(product.status).toBe(400);
      expect(() => suite.flush("for our client")).toThrow("- GET /servers (get-servers) query filter[colour]: the spec declares no such query parameter\n");
      // Recorded shapes the spec lacks are excused by their deviations, with nothing left over.
      const created = await apiClient(emu.url).post("/projects", { data: { type: "projects", attributes: { name: "Seen", provisioning_type: "on_demand" } } });
      expect(created.status).toBe(201);
      expect((await apiClient(emu.url).get(`/projects/${created.body.data.id}`)).status).toBe(200);
      expect(() => suite.flush("for recorded shapes")).not.toThrow();
    } finally {
      await emu.close();
    }
  });
});
