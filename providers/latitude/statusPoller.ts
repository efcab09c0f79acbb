// One status poller per project and API key: every waiter (a server being created, reinstalled
// or deleted) is answered from one filtered list call per tick, instead of one GET per server.
// Twenty servers waiting cost one request per interval, not twenty. A list call that fails for a
// reason the next one may not share (the API unreachable, a 5xx) is tried again at the next tick:
// one bad answer must not fail every server of the project. Each waiter keeps its own deadline.

export interface PolledServer {
  id: string;
  status: string;
}

/** "150 ms", "30 s". */
export function formatDuration(ms: number): string {
  return ms >= 1000 ? `${Math.round(ms / 1000)} s` : `${ms} ms`;
}

export class PollTimeoutError extends Error {
  override readonly name = "PollTimeoutError";
  constructor(
    readonly serverId: string,
    readonly lastSeen: PolledServer | undefined,
    timeoutMs: number,
    /** Set when the last list call that could have answered this waiter failed. */
    readonly listError?: string,
  ) {
    const failed = listError === undefined ? "" : `; the last list call failed: ${listError}`;
    const message = `server ${serverId} did not reach the awaited state within ${formatDuration(timeoutMs)} (last status: ${lastSeen?.status ?? "not listed"}${failed})`;
    super(message);
    // Set again: a closure-serialized copy of this class does not get it from Error.call.
    this.message = message;
  }
}

/** By name: the poller may belong to another provider's serialized copy of this class. */
export function isPollTimeout(error: unknown): error is PollTimeoutError {
  return typeof error === "object" && error !== null && (error as { name?: unknown }).name === "PollTimeoutError";
}

/**
 * A failed list call worth repeating: no answer at all (after the client's own retries), a 5xx
 * (a 500 is not retried by the client), a 408 or a 429. By name and status, as every error of
 * these providers (errors.ts). Anything else (401, 403, 400, a bug) would fail the same way again.
 */
export function isTransientListFailure(error: unknown): boolean {
  const candidate = error as { name?: unknown; status?: unknown } | null;
  if (typeof candidate !== "object" || candidate === null) return false;
  if (candidate.name === "LatitudeTransportError") return true;
  const status = candidate.status;
  return candidate.name === "LatitudeApiError" && typeof status === "number" && (status >= 500 || status === 408 || status === 429);
}

function messageOf(error: unknown): string {
  const message = (error as { message?: unknown } | null)?.message;
  return typeof message === "string" ? message : String(error);
}

interface Waiter<T extends PolledServer> {
  serverId: string;
  accept: (server: T | undefined) => boolean;
  resolve: (server: T | undefined) => void;
  reject: (error: unknown) => void;
  timer: ReturnType<typeof setTimeout>;
  /** Only a list call started after this answers the waiter (an older one may predate the server). */
  registeredAt: number;
  lastSeen?: T;
  /** The last list call that could answer this waiter failed with this (cleared by a good one). */
  listError?: string;
}

export class StatusPoller<T extends PolledServer = PolledServer> {
  private readonly waiters = new Set<Waiter<T>>();
  private running = false;
  private lastListAt = 0;
  /** An earlier tick asked for by expedite(); Infinity when none. */
  private soonAt = Number.POSITIVE_INFINITY;
  /** Ends the current wait between ticks early (set while the loop sleeps). */
  private wake: (() => void) | undefined;
  /** List calls made, for benchmarks and tests. */
  listCalls = 0;

  constructor(
    private readonly listServers: () => Promise<T[]>,
    private readonly intervalMs: number,
  ) {}

  /**
   * Resolves with the server (or undefined once it is no longer listed) as soon as `accept`
   * returns true for it; rejects with PollTimeoutError after `timeoutMs`.
   */
  waitFor(serverId: string, accept: (server: T | undefined) => boolean, timeoutMs: number): Promise<T | undefined> {
    return new Promise<T | undefined>((resolve, reject) => {
      // The deadline holds even while a list call waits for the read budget.
      const waiter: Waiter<T> = {
        serverId,
        accept,
        resolve,
        reject,
        registeredAt: Date.now(),
        timer: setTimeout(() => {
          this.waiters.delete(waiter);
          reject(new PollTimeoutError(serverId, waiter.lastSeen, timeoutMs, waiter.listError));
        }, timeoutMs),
      };
      this.waiters.add(waiter);
      if (!this.running) void this.run();
    });
  }

  /**
   * A waiter just saw its server ready: servers bought together get ready within moments of each
   * other, and the regular tick may have come a few ms too early for the rest of them. Look again
   * soon (at most one interval, 1 s by default) instead of a whole interval later.
   */
  expedite(delayMs = Math.min(this.intervalMs, 1000)): void {
    this.soonAt = Math.min(this.soonAt, Date.now() + delayMs);
    this.wake?.();
  }

  private async run(): Promise<void> {
    this.running = true;
    try {
      while (this.waiters.size > 0) {
        // At most one list call per interval (unless expedited), also across successive waits.
        const wait = Math.min(this.lastListAt + this.intervalMs, this.soonAt) - Date.now();
        if (wait > 0) {
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, wait);
            this.wake = () => {
              clearTimeout(timer);
              resolve();
            };
          });
          this.wake = undefined;
          continue;
        }
        this.soonAt = Number.POSITIVE_INFINITY;
        if (this.waiters.size > 0) await this.tick();
      }
    } finally {
      this.running = false;
    }
  }

  private async tick(): Promise<void> {
    let servers: T[];
    const listStartedAt = Date.now();
    this.lastListAt = listStartedAt;
    try {
      this.listCalls++;
      servers = await this.listServers();
    } catch (error) {
      if (!isTransientListFailure(error)) {
        // 401, 403, a malformed answer: every waiter would get the same, so tell them all now.
        for (const waiter of [...this.waiters]) this.settle(waiter, () => waiter.reject(error));
        return;
      }
      // The next tick asks again; a waiter whose deadline passes first learns why from its timeout.
      for (const waiter of this.waiters) if (waiter.registeredAt <= listStartedAt) waiter.listError = messageOf(error);
      return;
    }
    const byId = new Map(servers.map((server) => [server.id, server]));
    for (const waiter of [...this.waiters]) {
      if (waiter.registeredAt > listStartedAt) continue;
      delete waiter.listError;
      const server = byId.get(waiter.serverId);
      if (server) waiter.lastSeen = server;
      try {
        if (waiter.accept(server)) this.settle(waiter, () => waiter.resolve(server));
      } catch (error) {
        this.settle(waiter, () => waiter.reject(error));
      }
    }
  }

  private settle(waiter: Waiter<T>, finish: () => void): void {
    clearTimeout(waiter.timer);
    this.waiters.delete(waiter);
    finish();
  }
}
