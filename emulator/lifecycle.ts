// Asynchronous state changes: deploy and reinstall progressions, VLAN assignment (dis)connection,
// and the TCP listeners that stand in for the Talos API of booted iPXE servers.
import { createServer, type Server as NetServer, type Socket } from "node:net";
import type { AssignmentRec, ServerRec, Store } from "./store";
import type { HostnamePredicate, Knobs } from "./types";

interface TalosListener {
  server: NetServer;
  sockets: Set<Socket>;
  /** close() was requested; a listen still in flight must close again when it completes. */
  closed: boolean;
}

function holds(p: HostnamePredicate, hostname: string): boolean {
  return typeof p === "function" ? p(hostname) : p;
}

/** Statuses in which the installed system is not running, so Talos cannot answer. */
function systemDown(status: string): boolean {
  return status === "off" || status === "disk_erasing" || status === "rescue_mode" || status.startsWith("failed_");
}

export class Lifecycle {
  private readonly timers = new Map<string, Set<NodeJS.Timeout>>();
  private readonly talos = new Map<string, TalosListener>();
  /** Problems that are not HTTP errors (e.g. a Talos port already in use). */
  readonly warnings: string[] = [];

  constructor(
    private readonly store: Store,
    private readonly knobs: Knobs,
    readonly talosPort: number,
  ) {}

  /** Runs `fn` after `ms` unless the owner's timers are cancelled first. */
  private schedule(owner: string, ms: number, fn: () => void | Promise<void>): void {
    const set = this.timers.get(owner) ?? new Set<NodeJS.Timeout>();
    const t = setTimeout(() => {
      set.delete(t);
      Promise.resolve(fn()).catch((err: unknown) => this.warnings.push(`lifecycle ${owner}: ${String(err)}`));
    }, Math.max(0, ms));
    // Timers never keep a process alive: the HTTP server does that for the CLI.
    t.unref();
    set.add(t);
    this.timers.set(owner, set);
  }

  cancel(owner: string): void {
    for (const t of this.timers.get(owner) ?? []) clearTimeout(t);
    this.timers.delete(owner);
  }

  /** create: starting_deploy → deploying → on over knobs.deployMs (or failed / stuck). */
  startDeploy(server: ServerRec): void {
    const total = this.knobs.deployMs;
    server.status = "starting_deploy";
    server.booted = false;
    this.schedule(server.id, total * 0.3, () => {
      if (server.status === "starting_deploy") server.status = "deploying";
    });
    this.schedule(server.id, total, () => this.finishDeploy(server));
  }

  /**
   * reinstall: readers keep seeing the old status for knobs.reinstallStaleReads reads; the old
   * system (and its Talos port) survives the first of those reads, then disk_erasing → deploying → on.
   */
  startReinstall(server: ServerRec): void {
    const total = this.knobs.deployMs;
    if (this.knobs.reinstallStaleReads > 0) server.stale = { status: server.status, reads: this.knobs.reinstallStaleReads };
    server.status = "disk_erasing";
    server.booted = false;
    this.schedule(server.id, total * 0.2, () => this.closeTalos(server.id));
    this.schedule(server.id, total * 0.4, () => {
      if (server.status === "disk_erasing") server.status = "deploying";
    });
    this.schedule(server.id, total, () => this.finishDeploy(server));
  }

  private async finishDeploy(server: ServerRec): Promise<void> {
    if (holds(this.knobs.failDeploy, server.hostname)) {
      server.status = "failed_deployment";
      return;
    }
    if (holds(this.knobs.stuckDeploy, server.hostname)) {
      server.status = "deploying";
      return;
    }
    server.booted = true;
    if (server.os === "ipxe") {
      // The port is open before the status says so: a client that sees `on` can connect at once.
      await this.openTalos(server);
      server.status = this.knobs.ipxeStaysDeploying ? "deploying" : "on";
    } else {
      server.status = "on";
    }
  }

  /** The status a GET reports, consuming one stale read after a reinstall. */
  observe(server: ServerRec): string {
    const stale = server.stale;
    if (!stale) return server.status;
    // The old system goes away right after the first stale poll (closing twice is a no-op).
    void this.closeTalos(server.id);
    stale.reads--;
    if (stale.reads <= 0) delete server.stale;
    return stale.status;
  }

  /** An immediate status change (power action, rescue, out-of-band): moves the Talos port along. */
  async setStatus(server: ServerRec, status: string): Promise<void> {
    this.cancel(server.id);
    delete server.stale;
    server.status = status;
    if (status === "on") {
      server.booted = true;
      if (server.os === "ipxe") await this.openTalos(server);
    } else if (systemDown(status)) {
      server.booted = false;
      await this.closeTalos(server.id);
    }
  }

  /** Gone at once: timers, Talos port and VLAN assignments go with it. */
  async removeServer(id: string): Promise<void> {
    this.cancel(id);
    this.store.servers.delete(id);
    for (const a of [...this.store.assignments.values()]) {
      if (a.server === id) {
        this.cancel(a.id);
        this.store.assignments.delete(a.id);
      }
    }
    await this.closeTalos(id);
  }

  connectAssignment(a: AssignmentRec): void {
    this.schedule(a.id, this.knobs.assignmentConnectMs, () => {
      if (a.status === "connecting") a.status = "connected";
    });
  }

  /** Removal is asynchronous: the item stays listed (and blocks VLAN delete) for a while. */
  removeAssignment(a: AssignmentRec): void {
    if (a.status === "disconnecting") return;
    this.cancel(a.id);
    a.status = "disconnecting";
    this.schedule(a.id, this.knobs.assignmentRemovalMs, () => {
      this.store.assignments.delete(a.id);
    });
  }

  isTalosOpen(serverId: string): boolean {
    const l = this.talos.get(serverId);
    return l !== undefined && l.server.listening;
  }

  private async openTalos(server: ServerRec): Promise<void> {
    if (this.talos.has(server.id)) return;
    const sockets = new Set<Socket>();
    // Accept and hold: readiness is "the port answers"; nothing speaks TLS here.
    const srv = createServer((socket) => {
      sockets.add(socket);
      socket.on("error", () => undefined);
      socket.on("close", () => sockets.delete(socket));
    });
    const listener: TalosListener = { server: srv, sockets, closed: false };
    this.talos.set(server.id, listener);
    await new Promise<void>((resolve) => {
      srv.once("error", (err) => {
        this.warnings.push(`talos listener ${server.primaryIpv4}:${this.talosPort} for ${server.id}: ${err.message}`);
        if (this.talos.get(server.id) === listener) this.talos.delete(server.id);
        resolve();
      });
      srv.listen({ host: server.primaryIpv4, port: this.talosPort }, () => {
        if (listener.closed) srv.close();
        resolve();
      });
    });
    // Deleted while the port was opening.
    if (!this.store.servers.has(server.id)) await this.closeTalos(server.id);
  }

  async closeTalos(serverId: string): Promise<void> {
    const l = this.talos.get(serverId);
    if (!l) return;
    this.talos.delete(serverId);
    l.closed = true;
    for (const s of l.sockets) s.destroy();
    if (!l.server.listening) return;
    await new Promise<void>((resolve) => l.server.close(() => resolve()));
  }

  async close(): Promise<void> {
    for (const owner of [...this.timers.keys()]) this.cancel(owner);
    await Promise.all([...this.talos.keys()].map((id) => this.closeTalos(id)));
  }
}
