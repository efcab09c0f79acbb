// State of the elastic-IP and firewall routes of one emulator instance. Servers and projects stay
// in the shared Store, which this module only reads: it is told nothing when they are deleted,
// so it reconciles with the Store before every answer and every direct view.
import { randomInt } from "node:crypto";
import type { Store } from "./store";
import type { Knobs } from "./types";

/** The spec's status enum for elastic IPs (elastic_ip_data.attributes.status). */
export type ElasticIpStatus = "configuring" | "active" | "moving" | "releasing" | "error";

export interface ElasticIpRec {
  id: string;
  address: string;
  project: string;
  /** The server it routes to; answers show null once that server is gone. */
  server: string;
  /** Fixed at create: a move must stay in it (SITE_MISMATCH). */
  site: string;
  status: ElasticIpStatus;
  createdAt: string;
}

export interface FirewallRule {
  from: string;
  to: string;
  protocol: "TCP" | "UDP";
  port: string;
  /** Absent when the client sent none (the recorded answers then carry no `description`). */
  description?: string;
  /** The rule Latitude seeds into every new firewall (firewall_data rules[].default). */
  default: boolean;
}

export interface FirewallRec {
  id: string;
  name: string;
  project: string;
  /** The seeded default rule first, then the client's rules in the order sent. */
  rules: FirewallRule[];
}

export interface FirewallAssignmentRec {
  id: string;
  firewall: string;
  server: string;
}

/** What `Emulator.elasticIps()` returns: the record, with `published` = whether answers show its id. */
export type ElasticIpView = ElasticIpRec & { published: boolean };
export type FirewallView = FirewallRec;
export type FirewallAssignmentView = FirewallAssignmentRec;

/**
 * Elastic addresses in 127.252.B.x. They stay in 127.0.0.0/8 like everything the emulator hands
 * out, so nothing a test does can reach a real host. Servers get 127.A.B.x with A in 16–250
 * (AddressPool in store.ts), so the 127.252/16 block never collides with a primary_ipv4. B is
 * random per instance so that parallel emulators hand out different addresses.
 */
class ElasticAddressPool {
  private b = randomInt(0, 256);
  private c = 1;

  next(): string {
    if (this.c > 254) {
      this.c = 1;
      this.b = (this.b + 1) % 256;
    }
    return `127.252.${this.b}.${this.c++}`;
  }
}

export class NetworkSecurity {
  readonly elasticIps = new Map<string, ElasticIpRec>();
  readonly firewalls = new Map<string, FirewallRec>();
  readonly assignments = new Map<string, FirewallAssignmentRec>();
  readonly addresses = new ElasticAddressPool();
  private readonly timers = new Map<string, NodeJS.Timeout>();

  constructor(
    readonly store: Store,
    readonly knobs: Knobs,
  ) {}

  /**
   * Catches up with deletions in the Store:
   * - a deleted project takes its elastic IPs with it ("elastic IPs in it are released",
   *   latitude-api.md §4) and, unrecorded, its firewalls;
   * - a deleted server loses its firewall assignments (unrecorded; VLAN assignments go the same
   *   way, lifecycle.ts removeServer) but keeps its elastic IPs, which then answer `server: null`
   *   (elastic_ip_data.attributes.server: "null … when the assigned server is not active (e.g.
   *   … deleted)") and can be moved to another server or released.
   */
  reconcile(): void {
    const { projects, servers } = this.store;
    for (const e of this.elasticIps.values()) {
      if (!projects.has(e.project)) this.dropElasticIp(e.id);
    }
    for (const f of this.firewalls.values()) {
      if (!projects.has(f.project)) this.firewalls.delete(f.id);
    }
    for (const a of this.assignments.values()) {
      if (!servers.has(a.server) || !this.firewalls.has(a.firewall)) this.assignments.delete(a.id);
    }
  }

  /** Runs `fn` after `ms`, replacing any pending timer of `owner`. */
  after(owner: string, ms: number, fn: () => void): void {
    this.cancel(owner);
    const t = setTimeout(() => {
      this.timers.delete(owner);
      fn();
    }, Math.max(0, ms));
    // Timers never keep a process alive: the HTTP server does that for the CLI.
    t.unref();
    this.timers.set(owner, t);
  }

  cancel(owner: string): void {
    const t = this.timers.get(owner);
    if (t) clearTimeout(t);
    this.timers.delete(owner);
  }

  dropElasticIp(id: string): void {
    this.cancel(id);
    this.elasticIps.delete(id);
  }

  close(): void {
    for (const owner of [...this.timers.keys()]) this.cancel(owner);
  }

  views(): { elasticIps: ElasticIpView[]; firewalls: FirewallView[]; assignments: FirewallAssignmentView[] } {
    this.reconcile();
    return {
      elasticIps: [...this.elasticIps.values()].map((e) => ({ ...e, published: e.status !== "configuring" })),
      firewalls: [...this.firewalls.values()].map((f) => ({ ...f, rules: f.rules.map((r) => ({ ...r })) })),
      assignments: [...this.assignments.values()].map((a) => ({ ...a })),
    };
  }
}

// Route handlers get the shared Store (router.ts Ctx); this finds the instance's own state from it.
const registry = new WeakMap<Store, NetworkSecurity>();

export function attachNetworkSecurity(store: Store, knobs: Knobs): NetworkSecurity {
  const state = new NetworkSecurity(store, knobs);
  registry.set(store, state);
  return state;
}

/** The reconciled state of the emulator that owns `store`. */
export function networkSecurityOf(store: Store): NetworkSecurity {
  const state = registry.get(store);
  if (!state) throw new Error("no elastic-IP/firewall state is attached to this store (attachNetworkSecurity)");
  state.reconcile();
  return state;
}
