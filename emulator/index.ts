// Latitude.sh API emulator: an in-process HTTP server on 127.0.0.1 that reproduces the API as
// shared/reference/latitude-api.md §16 describes. Used by provider tests and by main.ts (CLI).
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { catalogRoutes } from "./catalogRoutes";
import { elasticIpRoutes, withLostElasticIpAnswers } from "./elasticIps";
import { firewallRoutes } from "./firewalls";
import { Rng } from "./ids";
import { Lifecycle } from "./lifecycle";
import { defaultNetworkSecurityKnobs } from "./networkSecurityKnobs";
import { attachNetworkSecurity, type ElasticIpView, type FirewallAssignmentView, type FirewallView } from "./networkSecurityStore";
import { projectRoutes } from "./projects";
import { RateLimiter } from "./rateLimit";
import type { Route } from "./router";
import { serverActionRoutes } from "./serverActions";
import { serverRoutes } from "./servers";
import { createHandler } from "./server";
import { sshKeyRoutes } from "./sshKeys";
import { Store } from "./store";
import { tagRoutes } from "./tags";
import type { EmulatorOptions, Knobs, RequestLogEntry, ServerView } from "./types";
import { vlanRoutes } from "./vlans";

export type { EmulatorOptions, HostnamePredicate, Knobs, RateLimitConfig, RequestLogEntry, ServerView } from "./types";
export { REAL_RATE_LIMIT } from "./types";
export type { ElasticIpView, FirewallAssignmentView, FirewallView } from "./networkSecurityStore";
export { ELASTIC_IP_UNSUPPORTED_SITES } from "./elasticIps";
export { OPERATING_SYSTEMS, OS_SLUGS, PLANS, PLAN_SLUGS, SITES, SITE_SLUGS, marketPrice } from "./catalog";

export interface Emulator {
  /** http://127.0.0.1:<port> */
  url: string;
  port: number;
  /** Port of the simulated Talos API on each iPXE server's primary_ipv4. */
  talosPort: number;
  /** Mutate fields at runtime: `emulator.knobs.failNextReads = 2`. */
  knobs: Knobs;
  /** Every request, in arrival order (status 0 for a destroyed socket). */
  requests: RequestLogEntry[];
  /** Problems that are not HTTP answers (e.g. a Talos port already in use). */
  warnings: string[];
  clearLog(): void;
  /** Forget the rate-limit history of every key. */
  resetRateLimits(): void;
  // Direct state access for tests (not through HTTP, not logged):
  servers(): ServerView[];
  setServerStatus(id: string, status: string): void;
  deleteServerOutOfBand(id: string): void;
  /** Make a plan (un)available at a site it is offered at. */
  setStock(plan: string, site: string, inStock: boolean): void;
  assignments(): Array<{ id: string; vlan: string; server: string; status: string }>;
  /** Every elastic IP, also while `configuring` (when answers show `id: null`; `published` false). */
  elasticIps(): ElasticIpView[];
  firewalls(): FirewallView[];
  firewallAssignments(): FirewallAssignmentView[];
  close(): Promise<void>;
}

function defaultKnobs(opts: EmulatorOptions): Knobs {
  return {
    deployMs: opts.deployMs ?? 1500,
    failDeploy: false,
    stuckDeploy: false,
    readErrorRate: 0,
    failNextReads: 0,
    resetNextReads: 0,
    loseNextServerPosts: 0,
    rateLimitNext: 0,
    rateLimit: opts.rateLimit ?? false,
    retryAfterHeader: false,
    ipxeStaysDeploying: false,
    assignmentConnectMs: 500,
    assignmentRemovalMs: 300,
    reinstallStaleReads: 2,
    interfaceShape: "absent",
    sshKeyProject: "absent",
    deletedServerListedMs: 0,
    ...defaultNetworkSecurityKnobs(),
    ...opts.knobs,
  };
}

const ROUTES: readonly Route[] = [
  ...catalogRoutes,
  ...serverActionRoutes,
  ...serverRoutes,
  ...projectRoutes,
  ...sshKeyRoutes,
  ...tagRoutes,
  ...vlanRoutes,
  ...elasticIpRoutes,
  ...firewallRoutes,
];

export async function startEmulator(opts: EmulatorOptions = {}): Promise<Emulator> {
  const knobs = defaultKnobs(opts);
  const rng = new Rng(opts.seed);
  const store = new Store(rng);
  const talosPort = opts.talosPort ?? 50000;
  const lifecycle = new Lifecycle(store, knobs, talosPort);
  const security = attachNetworkSecurity(store, knobs);
  const requests: RequestLogEntry[] = [];
  const limiter = new RateLimiter();
  let logId = 0;
  const apiKeys = opts.apiKeys && opts.apiKeys.length > 0 ? new Set(opts.apiKeys) : undefined;

  const handler = createHandler({ store, lifecycle, knobs, routes: ROUTES, log: requests, apiKeys, limiter, rng, nextLogId: () => ++logId });
  const http = createServer(withLostElasticIpAnswers(handler, knobs, requests));
  await new Promise<void>((resolve, reject) => {
    http.once("error", reject);
    http.listen({ host: "127.0.0.1", port: opts.port ?? 0 }, () => {
      http.off("error", reject);
      resolve();
    });
  });
  const port = (http.address() as AddressInfo).port;

  const report = (p: Promise<void>): void => {
    p.catch((err: unknown) => lifecycle.warnings.push(String(err)));
  };
  let closing: Promise<void> | undefined;

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    talosPort,
    knobs,
    requests,
    warnings: lifecycle.warnings,
    clearLog: () => {
      requests.length = 0;
    },
    resetRateLimits: () => limiter.reset(),
    servers: () =>
      [...store.servers.values()].map((s) => ({
        id: s.id,
        hostname: s.hostname,
        status: s.status,
        project: s.project,
        plan: s.plan,
        site: s.site,
        primaryIpv4: s.primaryIpv4,
        tags: [...s.tags],
        operatingSystem: s.os,
        billing: s.billing,
        locked: s.locked,
        talosListening: lifecycle.isTalosOpen(s.id),
      })),
    setServerStatus: (id, status) => {
      const s = store.servers.get(id);
      if (!s) throw new Error(`no server ${id}`);
      report(lifecycle.setStatus(s, status));
    },
    deleteServerOutOfBand: (id) => {
      if (!store.servers.has(id)) throw new Error(`no server ${id}`);
      report(lifecycle.removeServer(id));
    },
    setStock: (plan, site, inStock) => store.stock.set(plan, site, inStock),
    assignments: () => [...store.assignments.values()].map((a) => ({ ...a })),
    elasticIps: () => security.views().elasticIps,
    firewalls: () => security.views().firewalls,
    firewallAssignments: () => security.views().assignments,
    close: () => {
      closing ??= (async () => {
        security.close();
        await lifecycle.close();
        http.closeAllConnections();
        await new Promise<void>((resolve) => http.close(() => resolve()));
      })();
      return closing;
    },
  };
}
