// Client-side pacing for Latitude's per-key limits (60 reads + 20 writes per minute). Callers in
// one process share a limiter per API key, so twenty servers created at once queue for the write
// budget instead of racing into 429s.

export interface WindowLimit {
  /** Requests allowed in any window of `windowMs`. */
  limit: number;
  windowMs: number;
}

/** Below the documented limits, leaving room for a human using the dashboard at the same time. */
export const DEFAULT_WRITE_LIMIT: WindowLimit = { limit: 18, windowMs: 60_000 };
export const DEFAULT_READ_LIMIT: WindowLimit = { limit: 55, windowMs: 60_000 };

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** A sliding-window limiter granting slots first come, first served. */
export class SlidingWindowLimiter {
  private readonly grants: number[] = [];
  private pausedUntil = 0;
  private tail: Promise<void> = Promise.resolve();

  constructor(
    readonly settings: WindowLimit,
    private readonly now: () => number = Date.now,
  ) {}

  /** Resolves when the caller may send one request. */
  acquire(): Promise<void> {
    const turn = this.tail.then(() => this.waitForSlot());
    this.tail = turn.catch(() => undefined);
    return turn;
  }

  /** After a 429 every caller of this key waits, not just the one that was refused. */
  pauseUntil(epochMs: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, epochMs);
  }

  /** Slots granted in the current window (for benchmarks and tests). */
  inWindow(): number {
    this.expire(this.now());
    return this.grants.length;
  }

  private expire(now: number): void {
    while (this.grants.length > 0 && (this.grants[0] ?? 0) <= now - this.settings.windowMs) this.grants.shift();
  }

  private async waitForSlot(): Promise<void> {
    for (;;) {
      const now = this.now();
      this.expire(now);
      if (this.pausedUntil > now) {
        await sleep(this.pausedUntil - now);
        continue;
      }
      if (this.grants.length < this.settings.limit) {
        this.grants.push(now);
        return;
      }
      await sleep((this.grants[0] ?? now) + this.settings.windowMs - now + 1);
    }
  }
}
