import { describe, expect, it } from "vitest";
import { PollTimeoutError, StatusPoller, type PolledServer } from "../../providers/latitude/statusPoller";

describe("StatusPoller", () => {
  it("answers many waiters with one list call per tick", async () => {
    let tick = 0;
    const poller = new StatusPoller<PolledServer>(() => {
      tick++;
      return Promise.resolve(Array.from({ length: 10 }, (_, i) => ({ id: `sv_${i}`, status: tick >= 3 ? "on" : "deploying" })));
    }, 20);
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => poller.waitFor(`sv_${i}`, (s) => s?.status === "on", 5000)));
    expect(results.map((s) => s?.status)).toEqual(Array(10).fill("on"));
    expect(poller.listCalls).toBe(3);
  });

  it("keeps to one list call per interval across waits that follow one another", async () => {
    const poller = new StatusPoller<PolledServer>(() => Promise.resolve([{ id: "sv_1", status: "on" }]), 40);
    const started = Date.now();
    for (let i = 0; i < 4; i++) await poller.waitFor("sv_1", () => true, 1000);
    expect(poller.listCalls).toBe(4);
    expect(Date.now() - started).toBeGreaterThanOrEqual(3 * 40 - 5);
  });

  it("looks again soon after a server got ready, instead of a whole interval later", async () => {
    // Found by bench/engine.bench.ts (5 servers, 10 s poll): the tick at 60 s came 10–80 ms before
    // the later servers were ready, so they waited for the tick at 70 s.
    const readyAt = Date.now() + 250;
    const poller = new StatusPoller<PolledServer>(() => Promise.resolve([{ id: "sv_1", status: Date.now() >= readyAt ? "on" : "deploying" }]), 200);
    const started = Date.now();
    await poller.waitFor("sv_1", () => true, 5000); // first tick at once
    const waiting = poller.waitFor("sv_1", (s) => s?.status === "on", 5000);
    await new Promise((resolve) => setTimeout(resolve, 300)); // now ready; the next regular tick is due at 200 ms … 400 ms
    poller.expedite(20);
    await waiting;
    expect(Date.now() - started).toBeLessThan(380);
    // without an expedite the interval holds
    const calls = poller.listCalls;
    await poller.waitFor("sv_1", () => true, 5000);
    expect(poller.listCalls).toBe(calls + 1);
  });

  it("times out on its deadline even while the list call is stuck", async () => {
    const poller = new StatusPoller<PolledServer>(() => new Promise(() => undefined), 10);
    await expect(poller.waitFor("sv_1", () => true, 60)).rejects.toBeInstanceOf(PollTimeoutError);
  });

  it("never answers a waiter with a list call that started before it registered", async () => {
    let calls = 0;
    const poller = new StatusPoller<PolledServer>(async () => {
      calls++;
      await new Promise((resolve) => setTimeout(resolve, 40));
      return calls === 1 ? [] : [{ id: "sv_new", status: "deploying" }];
    }, 10);
    const first = poller.waitFor("sv_old", () => true, 1000);
    await new Promise((resolve) => setTimeout(resolve, 10)); // the first list is in flight now
    const fresh = await poller.waitFor("sv_new", () => true, 1000);
    expect(fresh?.status).toBe("deploying");
    await expect(first).resolves.toBeUndefined();
  });

  it("reports a server that left the list as undefined", async () => {
    const poller = new StatusPoller<PolledServer>(() => Promise.resolve([]), 10);
    await expect(poller.waitFor("sv_gone", (s) => s === undefined, 1000)).resolves.toBeUndefined();
  });

  it("times out with the last status seen", async () => {
    const poller = new StatusPoller<PolledServer>(() => Promise.resolve([{ id: "sv_1", status: "deploying" }]), 10);
    const error = await poller.waitFor("sv_1", (s) => s?.status === "on", 50).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PollTimeoutError);
    expect((error as PollTimeoutError).lastSeen?.status).toBe("deploying");
    expect((error as Error).message).toBe("server sv_1 did not reach the awaited state within 50 ms (last status: deploying)");
  });

  it("rejects every waiter when listing fails for good", async () => {
    const poller = new StatusPoller<PolledServer>(() => Promise.reject(new Error("401")), 10);
    await expect(Promise.all([poller.waitFor("a", () => false, 1000), poller.waitFor("b", () => false, 1000)])).rejects.toThrow("401");
  });
});
