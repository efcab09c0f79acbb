// /elastic_ips: routed IPv4 /32s that follow a server within its project and site. Provisioning,
// moves and releases are asynchronous (create-elastic-ip, update-elastic-ip and delete-elastic-ip
// in the spec; latitude-api.md §19). Error titles are the spec's where its examples give one; for
// codes its examples only give a `message`, that text is the detail (the 422 schema has no `message`).
import type { IncomingMessage, ServerResponse } from "node:http";
import { findSite, type Site } from "./catalog";
import {
  attributesOf,
  badRequest,
  filterHolds,
  invalid,
  listReply,
  matchString,
  notFound,
  optString,
  parseFilters,
  requireFields,
  single,
  unprocessable,
  type Reply,
} from "./http";
import { stableId } from "./ids";
import { networkSecurityOf, type ElasticIpRec, type ElasticIpStatus, type NetworkSecurity } from "./networkSecurityStore";
import { param, route, type Ctx, type Route } from "./router";
import { TEAM, type ProjectRec, type ServerRec } from "./store";
import type { HostnamePredicate, Knobs, RequestLogEntry } from "./types";

/**
 * Sites where elastic IPs cannot be created. The spec's SITE_NOT_SUPPORTED example (create- and
 * update-elastic-ip, 422) reads "Elastic IPs are not available for site SAO"; Latitude's own
 * Terraform docs create one in SAO2 (docs/resources/elastic_ip.md). No other site is known
 * either way, so the rest are assumed to support them.
 */
export const ELASTIC_IP_UNSUPPORTED_SITES: readonly string[] = ["SAO"];

const STATUSES: readonly ElasticIpStatus[] = ["configuring", "active", "moving", "releasing", "error"];

function holds(p: HostnamePredicate, hostname: string): boolean {
  return typeof p === "function" ? p(hostname) : p;
}

function siteOf(slug: string): Site {
  const site = findSite(slug);
  if (!site) throw new Error(`unknown site ${slug}`);
  return site;
}

function projectRef(p: ProjectRec | undefined): Record<string, unknown> {
  return p ? { id: p.id, name: p.name, slug: p.slug } : {};
}

/**
 * The spec's region {id, name, location {id, name, slug}}. Its example puts a site under a
 * city-level region with an id of its own; the emulator's sites have none, so the region id is
 * derived from the city (stable across instances) and the location is the site as /regions has it.
 */
function regionRef(site: Site): Record<string, unknown> {
  return {
    id: stableId("region_", `${site.country.slug}/${site.city}`),
    name: site.city,
    location: { id: site.id, name: site.name, slug: site.slug },
  };
}

/** elastic_ip_data. `id` is null while `configuring` (create-elastic-ip description). */
function elasticIpData(ns: NetworkSecurity, e: ElasticIpRec): Record<string, unknown> {
  const { store } = ns;
  const s = store.servers.get(e.server);
  return {
    id: e.status === "configuring" ? null : e.id,
    type: "elastic_ips",
    attributes: {
      address: e.address,
      family: "IPv4",
      prefix_length: 32,
      mode: "routed",
      status: e.status,
      created_at: e.createdAt,
      // null once the server is gone (the schema's description of `server`).
      server: s ? { id: s.id, hostname: s.hostname, primary_ipv4: s.primaryIpv4, operating_system: s.os } : null,
      project: projectRef(store.projects.get(e.project)),
      region: regionRef(siteOf(e.site)),
    },
  };
}

/** Only published ids are addressable: a `configuring` IP has none yet, so it is a 404. */
function elasticIpOr404(ns: NetworkSecurity, id: string): ElasticIpRec {
  const e = ns.elasticIps.get(id);
  if (!e || e.status === "configuring") throw notFound();
  return e;
}

/** SERVER_NOT_IN_PROJECT for an unknown server too: it is not in the project either. */
function serverInProject(ns: NetworkSecurity, serverId: string, project: string, detail: string): ServerRec {
  const s = ns.store.servers.get(serverId);
  if (!s || s.project !== project) throw unprocessable("SERVER_NOT_IN_PROJECT", "Server Not In Project", detail);
  return s;
}

function requireCompatibleNetwork(knobs: Knobs, server: ServerRec): void {
  if (holds(knobs.elasticIpNetworkIncompatible, server.hostname)) {
    throw unprocessable(
      "SERVER_NETWORK_INCOMPATIBLE",
      "Server Network Incompatible",
      "Your server has outdated network configuration and we cannot enable elastic IP for it. Please reach out to support",
    );
  }
}

function createElasticIp(ctx: Ctx): Reply {
  const ns = networkSecurityOf(ctx.store);
  const attrs = attributesOf(ctx.body);
  // create_elastic_ip: project_id (id or slug) and server_id are required.
  requireFields(attrs, ["project_id", "server_id"]);
  const ref = optString(attrs, "project_id") ?? "";
  const project = ctx.store.findProject(ref);
  if (!project) throw invalid("project_id", `project ${ref} does not exist`);
  const server = serverInProject(ns, optString(attrs, "server_id") ?? "", project.id, "Server must belong to the specified project");
  if (ELASTIC_IP_UNSUPPORTED_SITES.includes(server.site)) {
    throw unprocessable("SITE_NOT_SUPPORTED", "Site Not Supported", `Elastic IPs are not available for site ${server.site}`);
  }
  requireCompatibleNetwork(ctx.knobs, server);
  // Team quota: teams carry limits.elastic_ip (the spec's team examples), and Latitude's Terraform
  // provider handles ELASTIC_IP_LIMIT_REACHED (resource_elastic_ip.go addElasticIPError).
  if (ns.elasticIps.size >= TEAM.limits.elastic_ip) {
    throw unprocessable("ELASTIC_IP_LIMIT_REACHED", "Elastic IP Limit Reached", `The team may hold at most ${TEAM.limits.elastic_ip} elastic IPs`);
  }
  if (ctx.knobs.failNextElasticIpAllocations > 0) {
    ctx.knobs.failNextElasticIpAllocations--;
    throw unprocessable("IP_ALLOCATION_FAILED", "IP Allocation Failed", "Failed to allocate IP address");
  }
  const e: ElasticIpRec = {
    id: ctx.store.newId("eip_", ns.elasticIps),
    address: ns.addresses.next(),
    project: project.id,
    server: server.id,
    site: server.site,
    status: "configuring",
    // The spec's examples write created_at with milliseconds and Z (no recording exists).
    createdAt: new Date().toISOString(),
  };
  ns.elasticIps.set(e.id, e);
  const fails = ctx.knobs.failNextElasticIpProvisions > 0;
  if (fails) ctx.knobs.failNextElasticIpProvisions--;
  ns.after(e.id, ctx.knobs.elasticIpProvisionMs, () => {
    if (e.status === "configuring") e.status = fails ? "error" : "active";
  });
  // The 202 example: id null, and only address, status and project.
  return single({ id: null, type: "elastic_ips", attributes: { address: e.address, status: e.status, project: projectRef(project) } }, 202);
}

function listElasticIps(ctx: Ctx): Reply {
  const ns = networkSecurityOf(ctx.store);
  // list-elastic-ips declares filter[project] (id or slug), filter[server] and filter[status].
  const f = parseFilters(ctx.query, { filters: ["project", "server", "status"], paged: true });
  for (const c of f.get("status") ?? []) {
    if (!STATUSES.some((s) => s === c.value)) throw badRequest(`filter[status] must be one of: ${STATUSES.join(", ")}`, "filter[status]");
  }
  const { projects, servers } = ctx.store;
  const rows = [...ns.elasticIps.values()]
    .filter(
      (e) =>
        filterHolds(f, "project", (op, v) => e.project === v || matchString(projects.get(e.project)?.slug, op, v)) &&
        // A gone server is shown as null, so it matches no server filter.
        filterHolds(f, "server", (op, v) => servers.has(e.server) && matchString(e.server, op, v)) &&
        filterHolds(f, "status", (op, v) => matchString(e.status, op, v)),
    )
    .map((e) => elasticIpData(ns, e));
  return listReply(rows, ctx.query, { paged: true });
}

/**
 * update-elastic-ip: only an `active` IP moves, to a server of the same project in the same site;
 * it answers 202 with status `moving` and the new server (the spec's example), then `active`
 * again (Latitude's Terraform docs: "on move, active → moving → active"). SITE_NOT_SUPPORTED,
 * also listed for moves, cannot arise here: the target's site is the IP's own, which allowed it.
 */
function moveElasticIp(ctx: Ctx): Reply {
  const ns = networkSecurityOf(ctx.store);
  const e = elasticIpOr404(ns, param(ctx, 0));
  const attrs = attributesOf(ctx.body);
  requireFields(attrs, ["server_id"]);
  if (e.status !== "active") throw unprocessable("ELASTIC_IP_NOT_ACTIVE", "Elastic IP Not Active", "Elastic IP must be in active status to move");
  const target = serverInProject(ns, optString(attrs, "server_id") ?? "", e.project, "Target server must belong to the same project");
  if (target.site !== e.site) throw unprocessable("SITE_MISMATCH", "Site Mismatch", "Elastic IP cannot be moved to a server in a different site");
  requireCompatibleNetwork(ctx.knobs, target);
  e.server = target.id;
  e.status = "moving";
  ns.after(e.id, ctx.knobs.elasticIpMoveMs, () => {
    if (e.status === "moving") e.status = "active";
  });
  return single(elasticIpData(ns, e), 202);
}

/** delete-elastic-ip: only `active` or `error`; `releasing` for a while, then gone (404). */
function releaseElasticIp(ctx: Ctx): Reply {
  const ns = networkSecurityOf(ctx.store);
  const e = elasticIpOr404(ns, param(ctx, 0));
  if (e.status !== "active" && e.status !== "error") {
    throw unprocessable("ELASTIC_IP_NOT_RELEASABLE", "Elastic IP Not Releasable", "Only Elastic IPs with status active or error can be released");
  }
  e.status = "releasing";
  ns.after(e.id, ctx.knobs.elasticIpReleaseMs, () => ns.dropElasticIp(e.id));
  return { status: 204 };
}

export const elasticIpRoutes: Route[] = [
  route("POST", "/elastic_ips", createElasticIp),
  route("GET", "/elastic_ips", listElasticIps),
  route("GET", "/elastic_ips/:id", (ctx) => {
    const ns = networkSecurityOf(ctx.store);
    return single(elasticIpData(ns, elasticIpOr404(ns, param(ctx, 0))));
  }),
  route("PATCH", "/elastic_ips/:id", moveElasticIp),
  route("DELETE", "/elastic_ips/:id", releaseElasticIp),
];

type NodeHandler = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * Knob loseNextElasticIpPosts: the IP is created and the answer written, but the client only sees
 * its connection drop, as for loseNextServerPosts (server.ts). The fault sits around the HTTP
 * handler because route handlers cannot reach the socket; the log entry, pushed synchronously on
 * arrival, is marked 0 like any destroyed exchange.
 */
export function withLostElasticIpAnswers(handler: NodeHandler, knobs: Knobs, log: RequestLogEntry[]): NodeHandler {
  return (req, res) => {
    handler(req, res);
    const path = (req.url ?? "").split("?")[0]?.replace(/\/+$/, "");
    if (req.method !== "POST" || path !== "/elastic_ips") return;
    const entry = log[log.length - 1];
    const writeHead = res.writeHead.bind(res) as (...args: unknown[]) => ServerResponse;
    (res as { writeHead: (...args: unknown[]) => ServerResponse }).writeHead = (...args: unknown[]) => {
      if (args[0] !== 202 || knobs.loseNextElasticIpPosts <= 0) return writeHead(...args);
      knobs.loseNextElasticIpPosts--;
      if (entry) entry.status = 0;
      req.socket.destroy();
      (res as { end: () => ServerResponse }).end = () => res;
      return res;
    };
  };
}
