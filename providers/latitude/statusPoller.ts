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
  deadline: number;
  timeoutMs: number;
  lastSeen?: T;
}

export class StatusPoller<T extends PolledServer = PolledServer> {
  private readonly waiters = new Set<Waiter<T>>();
  private running = false;
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
      this.waiters.add({ serverId, accept, resolve, reject, deadline: Date.now() + timeoutMs, timeoutMs });
      if (!this.running) void this.run();
    });
  }

  private async run(): Promise<void> {
    this.running = true;
    try {
      while (this.waiters.size > 0) {
        await this.tick();
        if (this.waiters.size > 0) await new Promise((resolve) => setTimeout(resolve, this.intervalMs));
      }
    } finally {
      this.running = false;
    }
  }

  private async tick(): Promise<void> {
    let servers: T[];
    try {
      this.listCalls++;
      servers = await this.listServers();
    } catch (error) {
      // The list call already retried what is retryable; what is left (401, 403) is fatal.
      for (const waiter of this.waiters) waiter.reject(error);
      this.waiters.clear();
      return;
    }
    const byId = new Map(servers.map((server) => [server.id, server]));
    const now = Date.now();
    for (const waiter of [...this.waiters]) {
      const server = byId.get(waiter.serverId);
      if (server) waiter.lastSeen = server;
      let done: boolean;
      try {
        done = waiter.accept(server);
      } catch (error) {
        this.waiters.delete(waiter);
        waiter.reject(error);
        continue;
      }
      if (done) {
        this.waiters.delete(waiter);
        waiter.resolve(server);
      } else if (now >= waiter.deadline) {
        this.waiters.delete(waiter);
        waiter.reject(new PollTimeoutError(waiter.serverId, waiter.lastSeen, waiter.timeoutMs));
      }
    }
  }
}
