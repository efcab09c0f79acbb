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
  /** When each granted request was last known in flight: its window runs from its answer. */
  private readonly grants: Array<{ at: number }> = [];
  private pausedUntil = 0;
  private tail: Promise<void> = Promise.resolve();

  constructor(
    readonly settings: WindowLimit,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Resolves when the caller may send one request, with a `done` callback to call once the
   * request is answered: the server counts a request when it arrives, so a slot's window restarts
   * then, not at the grant (granting at the turn of a window let 20 writes into the API's 60 s).
   */
  acquire(): Promise<() => void> {
    const turn = this.tail.then(() => this.waitForSlot());
    this.tail = turn.then(
      () => undefined,
      () => undefined,
    );
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
    for (let i = this.grants.length - 1; i >= 0; i--) if (this.grants[i]!.at <= now - this.settings.windowMs) this.grants.splice(i, 1);
  }

  private async waitForSlot(): Promise<() => void> {
    for (;;) {
      const now = this.now();
      this.expire(now);
      if (this.pausedUntil > now) {
        await sleep(this.pausedUntil - now);
        continue;
      }
      if (this.grants.length < this.settings.limit) {
        const grant = { at: now };
        this.grants.push(grant);
        return () => {
          grant.at = Math.max(grant.at, this.now());
        };
      }
      const oldest = Math.min(...this.grants.map((g) => g.at));
      await sleep(oldest + this.settings.windowMs - now + 1);
    }
  }
}
