// Public option, knob and log types of the Latitude.sh emulator.
import type { InterfaceShapeChoice } from "./interfaces";
import type { NetworkSecurityKnobs } from "./networkSecurityKnobs";

export interface RateLimitConfig {
  reads: number;
  writes: number;
  windowMs: number;
}

/** The real API's published limits: 60 GET + 20 writes per minute per key. */
export const REAL_RATE_LIMIT: RateLimitConfig = { reads: 60, writes: 20, windowMs: 60_000 };

export interface EmulatorOptions {
  /** 0 = a free port (default). The host is always 127.0.0.1. */
  port?: number;
  /** Accepted keys; by default any non-empty key is accepted. */
  apiKeys?: string[];
  /** Simulated deploy time create → ready (default 1500). */
  deployMs?: number;
  /** TCP port the simulated Talos API listens on (default 50000). */
  talosPort?: number;
  /** Default false. */
  rateLimit?: false | RateLimitConfig;
  /** RNG seed for random faults and ids. */
  seed?: number;
  /** Initial values for any knob (applied after the options above). */
  knobs?: Partial<Knobs>;
}

export interface RequestLogEntry {
  id: number;
  method: string;
  path: string;
  query: Record<string, string>;
  /** 0 when the socket was destroyed without a response. */
  status: number;
  startedAt: number;
  endedAt: number;
  /** sha256 hex of the API key, first 12 chars ("" when absent); never the key. */
  keyHash: string;
  body?: unknown;
}

export type HostnamePredicate = boolean | ((hostname: string) => boolean);

export interface Knobs extends NetworkSecurityKnobs {
  deployMs: number;
  /** Deploy (or reinstall) ends in failed_deployment. */
  failDeploy: HostnamePredicate;
  /** Stays deploying forever, and no Talos port opens. */
  stuckDeploy: HostnamePredicate;
  /** Probability of a random 502/503 on GET. */
  readErrorRate: number;
  /** Next N GETs answer 503. */
  failNextReads: number;
  /** Next N GETs: the socket is destroyed without a response. */
  resetNextReads: number;
  /** Next N successful POST /servers: the server is created, then the socket is destroyed. */
  loseNextServerPosts: number;
  /** Next N requests (any method, before every other check) answer 429 with meta.retry_after 1. */
  rateLimitNext: number;
  rateLimit: false | RateLimitConfig;
  /** Also send Retry-After on 429 (the real API is not known to). */
  retryAfterHeader: boolean;
  /** iPXE servers keep reporting `deploying` after Talos is up (seen on the real API). */
  ipxeStaysDeploying: boolean;
  /** VLAN assignment connecting → connected. */
  assignmentConnectMs: number;
  /** A deleted VLAN assignment stays listed (and blocks VLAN delete) this long. */
  assignmentRemovalMs: number;
  /** After a reinstall, this many reads of the server still show the previous status. */
  reinstallStaleReads: number;
  /** The `interfaces` shape of servers created from now on (default "absent", as every recorded real answer). */
  interfaceShape: InterfaceShapeChoice;
  /**
   * Whether SSH key answers embed `project`: "absent" (default) as every recorded real answer
   * (latitude-api.md §19), "embedded" as the spec's /ssh_keys schema shows.
   */
  sshKeyProject: "absent" | "embedded";
  /**
   * After DELETE /servers/{id}, the server stays in lists (GET of it answers 404 at once) this
   * long. How long the real API lists a deleted server is unrecorded (latitude-api.md §19).
   */
  deletedServerListedMs: number;
}

/** What `Emulator.servers()` returns: a direct view of the store, not the HTTP shape. */
export interface ServerView {
  id: string;
  hostname: string;
  /** The real current status (not the stale one a reinstall shows to readers). */
  status: string;
  /** Project id. */
  project: string;
  plan: string;
  site: string;
  primaryIpv4: string;
  /** Tag ids. */
  tags: string[];
  operatingSystem: string;
  billing: string;
  locked: boolean;
  /** Whether the simulated Talos API is listening on primaryIpv4:talosPort. */
  talosListening: boolean;
}
