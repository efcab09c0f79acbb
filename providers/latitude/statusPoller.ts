// One status poller per project and API key: every waiter (a server being created, reinstalled
// or deleted) is answered from one filtered list call per tick, instead of one GET per server.
// Twenty servers waiting cost one request per interval, not twenty.

export interface PolledServer {
  id: string;
  status: string;
}

export class PollTimeoutError extends Error {
  override readonly name = "PollTimeoutError";
  constructor(
    readonly serverId: string,
    readonly lastSeen: PolledServer | undefined,
    timeoutMs: number,
  ) {
    super(`server ${serverId} did not reach the awaited state within ${timeoutMs >= 1000 ? `${Math.round(timeoutMs / 1000)} s` : `${timeoutMs} ms`} (last status: ${lastSeen?.status ?? "not listed"})`);
  }
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
}

export class StatusPoller<T extends PolledServer = PolledServer> {
  private readonly waiters = new Set<Waiter<T>>();
  private running = false;
  private lastListAt = 0;
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
          reject(new PollTimeoutError(serverId, waiter.lastSeen, timeoutMs));
        }, timeoutMs),
      };
      this.waiters.add(waiter);
      if (!this.running) void this.run();
    });
  }

  private async run(): Promise<void> {
    this.running = true;
    try {
      while (this.waiters.size > 0) {
        // At most one list call per interval, also across waits that follow one another.
        const wait = this.lastListAt + this.intervalMs - Date.now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
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
      // The list call already retried what is retryable; what is left (401, 403) is fatal.
      for (const waiter of [...this.waiters]) this.settle(waiter, () => waiter.reject(error));
      return;
    }
    const byId = new Map(servers.map((server) => [server.id, server]));
    for (const waiter of [...this.waiters]) {
      if (waiter.registeredAt > listStartedAt) continue;
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
