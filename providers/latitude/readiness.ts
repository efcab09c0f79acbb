// When a server is ready. iPXE (Talos) servers: the Talos API answers on its TCP port at the
// server's public address; Latitude's status only tells failure (`failed_*`), since it can sit in
// `deploying` long after Talos is up. OS servers: status `on`. After a reinstall the old system
// still answers for a while, so readiness first needs to see it go away.
import { formatDuration, isPollTimeout, type StatusPoller } from "./statusPoller";
import type { Server } from "./schemas";

/** The deploy itself failed (`failed_*`, gone, or past its deadline): no update can repair the server. */
export class DeployFailedError extends Error {
  override readonly name = "DeployFailedError";
  constructor(
    message: string,
    readonly lastSeen: Server | undefined,
  ) {
    super(message);
    // Set again: a closure-serialized copy of this class does not get it from Error.call.
    this.message = message;
  }
}

/** By name, as every error of these providers (see errors.ts). */
export function isDeployFailed(error: unknown): error is DeployFailedError {
  return typeof error === "object" && error !== null && (error as { name?: unknown }).name === "DeployFailedError";
}

/** Does something accept TCP connections at host:port? Never throws. */
export function isPortOpen(host: string, port: number, timeoutMs = 2000): Promise<boolean> {
  const net = require("node:net") as typeof import("node:net");
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const finish = (open: boolean): void => {
      socket.destroy();
      resolve(open);
    };
    socket.setTimeout(timeoutMs, () => finish(false));
    socket.once("connect", () => finish(true));
    socket.once("error", () => finish(false));
  });
}

export interface ReadinessOptions {
  ipxe: boolean;
  talosPort: number;
  timeoutMs: number;
  /** After a reinstall: the old system must be seen gone before a new "ready" counts. */
  afterReinstall: boolean;
  /** Status before the reinstall, for OS servers (a stale read repeats it). */
  previousStatus?: string;
}

const isFailed = (status: string): boolean => status.startsWith("failed_");

/** Servers deployed together finish together: the poller looks again soon for the others. */
function ready(poller: StatusPoller<Server>, server: Server): Server {
  poller.expedite();
  return server;
}

/** Resolves with the server once ready; throws DeployFailedError on failure, deletion or timeout. */
export async function awaitReady(poller: StatusPoller<Server>, serverId: string, options: ReadinessOptions): Promise<Server> {
  const deadline = Date.now() + options.timeoutMs;
  let lastSeen: Server | undefined;
  let oldSystemGone = !options.afterReinstall;
  const timedOut = (): DeployFailedError => {
    const where = options.ipxe ? `the Talos API on ${lastSeen?.primary_ipv4 ?? "its address"}:${options.talosPort} never answered` : "it never reached status on";
    return new DeployFailedError(`deploy timed out after ${Math.round(options.timeoutMs / 1000)} s: ${where} (last Latitude status: ${lastSeen?.status ?? "unknown"})`, lastSeen);
  };
  for (;;) {
    const remaining = deadline - Date.now();
    if (remaining <= 0) throw timedOut();
    let seen: Server | undefined;
    try {
      // One shared list call per tick answers every server waiting in this project.
      seen = await poller.waitFor(serverId, () => true, remaining);
    } catch (error) {
      if (!isPollTimeout(error)) throw error;
      // Latitude could not be listed at the end: nothing says the deploy failed, so the server is
      // not marked for replacement; the caller keeps it, not ready yet, and the next up waits again.
      if (error.listError !== undefined) {
        throw new Error(`could not tell whether server ${serverId} is ready within ${formatDuration(options.timeoutMs)}: the last list call failed: ${error.listError}`);
      }
      throw timedOut();
    }
    if (!seen) {
      // Lists can lag behind a create: only a server seen before and now gone has disappeared.
      if (!lastSeen) continue;
      throw new DeployFailedError(`server ${serverId} disappeared from Latitude while deploying`, lastSeen);
    }
    lastSeen = seen;
    if (isFailed(seen.status)) throw new DeployFailedError(`deploy failed: Latitude reports status ${seen.status}`, seen);
    if (options.ipxe) {
      const open = seen.primary_ipv4 ? await isPortOpen(seen.primary_ipv4, options.talosPort) : false;
      if (!oldSystemGone) oldSystemGone = !open;
      else if (open) return ready(poller, seen);
    } else {
      if (!oldSystemGone) oldSystemGone = seen.status !== (options.previousStatus ?? "on");
      else if (seen.status === "on") return ready(poller, seen);
    }
  }
}
