// Issue 13, defect 4: one failed list call of the shared poller must not fail every server
// waiting in the project. What the client could not retry away is looked at again on the next
// tick; only an answer that no retry can change (401, 403, …) ends every wait.
import { describe, expect, it } from "vitest";
import { LatitudeApiError, LatitudeTransportError } from "../../providers/latitude/errors";
import { awaitReady, isDeployFailed } from "../../providers/latitude/readiness";
import type { Server } from "../../providers/latitude/schemas";
import { StatusPoller, type PolledServer } from "../../providers/latitude/statusPoller";

const servers = (status: string): PolledServer[] => Array.from({ length: 5 }, (_, i) => ({ id: `sv_${i}`, status }));

/** A list that fails on the given calls (1-based), and answers "on" otherwise. */
function listFailingOn(calls: number[], error: () => Error): { list: () => Promise<PolledServer[]>; count: () => number } {
  let n = 0;
  return {
    count: () => n,
    list: () => {
      n++;
      return calls.includes(n) ? Promise.reject(error()) : Promise.resolve(servers(n >= 2 ? "on" : "deploying"));
    },
  };
}

describe("StatusPoller: a list call that fails", () => {
  it.each<[string, () => Error]>([
    ["a transport failure left after the client's retries", () => new LatitudeTransportError("GET", "/servers", "ECONNRESET after 12 attempts")],
    ["a 500 (the client does not retry it)", () => new LatitudeApiError("GET", "/servers", 500, [{ code: "INTERNAL_SERVER_ERROR" }])],
    ["a 503 after the retry budget", () => new LatitudeApiError("GET", "/servers", 503, [])],
  ])("is tried again at the next tick after %s: every waiter still gets its answer", async (_what, error) => {
    const source = listFailingOn([1], error);
    const poller = new StatusPoller<PolledServer>(source.list, 10);
    const results = await Promise.all(servers("").map((s) => poller.waitFor(s.id, (seen) => seen?.status === "on", 2000)));
    expect(results.map((s) => s?.status)).toEqual(Array(5).fill("on"));
    expect(source.count()).toBeGreaterThanOrEqual(2);
  });

  it.each<[string, () => Error]>([
    ["401", () => new LatitudeApiError("GET", "/servers", 401, [{ code: "UNAUTHORIZED" }])],
    ["403", () => new LatitudeApiError("GET", "/servers", 403, [{ code: "FORBIDDEN" }])],
  ])("ends every wait on a %s, which no retry changes", async (status, error) => {
    const poller = new StatusPoller<PolledServer>(listFailingOn([1, 2, 3, 4, 5], error).list, 10);
    const waits = ["sv_0", "sv_1"].map((id) => poller.waitFor(id, () => false, 2000).catch((e: unknown) => e));
    for (const result of await Promise.all(waits)) expect((result as Error).message).toContain(`answered ${status}`);
  });

  it("times out at the waiter's own deadline when listing keeps failing, and says why", async () => {
    const poller = new StatusPoller<PolledServer>(() => Promise.reject(new LatitudeTransportError("GET", "/servers", "ECONNREFUSED after 12 attempts")), 10);
    const error = (await poller.waitFor("sv_0", () => true, 100).catch((e: unknown) => e)) as Error;
    expect(error.name).toBe("PollTimeoutError");
    expect(error.message).toBe("server sv_0 did not reach the awaited state within 100 ms (last status: not listed; the last list call failed: Latitude GET /servers: ECONNREFUSED after 12 attempts)");
  });
});

describe("awaitReady while Latitude cannot be listed", () => {
  it("does not call the deploy failed: nothing was seen of the server", async () => {
    const poller = new StatusPoller<Server>(() => Promise.reject(new LatitudeTransportError("GET", "/servers", "ECONNREFUSED after 12 attempts")), 10);
    const error = await awaitReady(poller, "sv_0", { ipxe: false, talosPort: 50000, timeoutMs: 150, afterReinstall: false }).catch((e: unknown) => e);
    expect(isDeployFailed(error)).toBe(false);
    expect((error as Error).message).toMatch(/^could not tell whether server sv_0 is ready within 150 ms: the last list call failed: Latitude GET \/servers: ECONNREFUSED after 12 attempts$/);
  });
});
