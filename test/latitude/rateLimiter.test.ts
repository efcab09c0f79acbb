import { describe, expect, it } from "vitest";
import { SlidingWindowLimiter } from "../../providers/latitude/rateLimiter";
import { sharedLimiter } from "../../providers/latitude/sharedState";

describe("SlidingWindowLimiter", () => {
  it("never grants more than `limit` slots in any window, first come first served", async () => {
    const limiter = new SlidingWindowLimiter({ limit: 3, windowMs: 200 });
    const grants: Array<{ i: number; at: number }> = [];
    const start = Date.now();
    await Promise.all(Array.from({ length: 7 }, (_, i) => limiter.acquire().then(() => grants.push({ i, at: Date.now() - start }))));
    expect(grants.map((g) => g.i)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    for (let k = 3; k < grants.length; k++) {
      // slot k can only be granted once slot k-3 has left the window
      expect(grants[k]!.at - grants[k - 3]!.at).toBeGreaterThanOrEqual(199);
    }
  });

  it("restarts a slot's window when its request is answered, as the server counts arrivals", async () => {
    const limiter = new SlidingWindowLimiter({ limit: 1, windowMs: 150 });
    const start = Date.now();
    const done = await limiter.acquire();
    await new Promise((resolve) => setTimeout(resolve, 100)); // the request takes 100 ms
    done();
    await limiter.acquire();
    expect(Date.now() - start).toBeGreaterThanOrEqual(245);
  });

  it("holds every caller during a pause after a 429", async () => {
    const limiter = new SlidingWindowLimiter({ limit: 100, windowMs: 1000 });
    const start = Date.now();
    limiter.pauseUntil(start + 150);
    await Promise.all([limiter.acquire(), limiter.acquire()]);
    expect(Date.now() - start).toBeGreaterThanOrEqual(145);
    expect(limiter.inWindow()).toBe(2);
  });
});

describe("sharedLimiter", () => {
  it("returns one limiter per scope and setting across callers", () => {
    const a = sharedLimiter("http://x|key1|write", { limit: 5, windowMs: 1000 });
    const b = sharedLimiter("http://x|key1|write", { limit: 5, windowMs: 1000 });
    const c = sharedLimiter("http://x|key2|write", { limit: 5, windowMs: 1000 });
    expect(a).toBe(b);
    expect(a).not.toBe(c);
  });
});
