import { describe, expect, it } from "vitest";
import { backoffDelayMs, isRateLimited, isTransientStatus, rateLimitDelayMs } from "../../providers/latitude/retryPolicy";

const settings = { baseMs: 500, factor: 2, maxMs: 30_000 };

describe("retry policy", () => {
  it("grows exponentially with full jitter between half and the whole ceiling", () => {
    expect(backoffDelayMs(1, settings, () => 0)).toBe(250);
    expect(backoffDelayMs(1, settings, () => 1)).toBe(500);
    expect(backoffDelayMs(4, settings, () => 1)).toBe(4000);
    expect(backoffDelayMs(20, settings, () => 1)).toBe(30_000);
    expect(backoffDelayMs(20, settings, () => 0)).toBe(15_000);
  });

  it("honours retry_after, then Retry-After, then falls back to backoff", () => {
    expect(rateLimitDelayMs(60, null, 1, settings, () => 0)).toBe(60_000);
    expect(rateLimitDelayMs(2, "30", 1, settings, () => 0)).toBe(2000);
    expect(rateLimitDelayMs(undefined, "3", 1, settings, () => 0)).toBe(3000);
    expect(rateLimitDelayMs(undefined, "not-a-number", 2, settings, () => 1)).toBe(1000);
    expect(rateLimitDelayMs(1, null, 1, settings, () => 1)).toBe(1250);
  });

  it("classifies statuses", () => {
    expect([429, 500, 502, 503, 504, 404].map(isRateLimited)).toEqual([true, false, false, false, false, false]);
    expect([429, 500, 502, 503, 504, 404].map(isTransientStatus)).toEqual([false, false, true, true, true, false]);
  });
});
