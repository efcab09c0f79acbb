// /firewalls and their server assignments. Evidence: the spec's firewall operations and schemas,
// and Latitude's Terraform provider's recordings of the real API (go-vcr, 2025-04-07:
// latitudesh/fixtures/TestAccLatitudeFirewall_Basic.yaml and
// TestAccLatitudeFirewallAssignment_Basic.yaml), cited below as "the recordings". The recorded
// answers of this family carry no `meta`, so none is sent.
import { isIP } from "node:net";
import { attributesOf, invalid, isRecord, listReply, matchString, notFound, optString, parseFilters, filterHolds, requireFields, type Reply } from "./http";
import { networkSecurityOf, type FirewallAssignmentRec, type FirewallRec, type FirewallRule, type NetworkSecurity } from "./networkSecurityStore";
import { param, route, type Ctx, type Route } from "./router";
import type { ServerRec, Store } from "./store";

/**
 * Seeded into every new firewall ahead of the client's rules, `default: true` (the recordings'
 * create answer; firewall_data rules[].default: "seeded by Latitude … cannot be deleted").
 * Updates keep it (Latitude's Terraform docs for latitudesh_firewall).
 */
const DEFAULT_RULE: FirewallRule = { from: "ANY", to: "ANY", port: "22", protocol: "TCP", default: true };

const PROTOCOLS: readonly FirewallRule["protocol"][] = ["TCP", "UDP"];

function data(body: unknown, status = 200): Reply {
  return { status, body: { data: body } };
}

function list(items: readonly unknown[], ctx: Ctx): Reply {
  const reply = listReply(items, ctx.query, { paged: true });
  const body = reply.body as { data: unknown; meta: Record<string, unknown> };
  // A list recorded as {"data":[…]}: meta only when there is something in it (stats[total]).
  return { status: reply.status, body: Object.keys(body.meta).length > 0 ? body : { data: body.data } };
}

/**
 * from/to: "IP address, IP range in CIDR notation, or 'ANY'" (the spec's rule schema). Its examples
 * are IPv4 only; an IPv6 address is an IP address too, so it is accepted. Host bits set in a CIDR
 * are not refused (nothing says they are).
 */
export function validEndpoint(value: string): boolean {
  if (value === "ANY") return true;
  const parts = value.split("/");
  if (parts.length > 2) return false;
  const family = isIP(parts[0] ?? "");
  if (family === 0) return false;
  const prefix = parts[1];
  if (prefix === undefined) return true;
  return /^(0|[1-9]\d{0,2})$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
}

/** port: "Port number or range (e.g., "80", "80-443")", a string in the schema; ports are 1–65535. */
export function validPort(value: string): boolean {
  const m = /^([1-9]\d{0,4})(?:-([1-9]\d{0,4}))?$/.exec(value);
  if (!m) return false;
  const low = Number(m[1]);
  const high = m[2] === undefined ? low : Number(m[2]);
  return high <= 65535 && low <= high;
}

/**
 * The client's rules. The schema marks no rule field required; a rule lacks meaning without all
 * four, so each is required here. A number for `port` is refused: the schema says string (its
 * own request example sends 80, so the real API may be laxer). Other members (the recorded
 * Terraform client sends `default: false`) are ignored, as the recorded create answer did.
 */
function parseRules(raw: unknown): FirewallRule[] {
  if (!Array.isArray(raw)) throw invalid("rules", "must be an array of rules");
  return raw.map((r, i) => {
    const at = (field: string): string => `rules/${i}${field ? `/${field}` : ""}`;
    if (!isRecord(r)) throw invalid(at(""), "must be an object with from, to, protocol and port");
    const text = (field: string): string => {
      const v = r[field];
      if (v === undefined || v === null || v === "") throw invalid(at(field), "must be filled");
      if (typeof v !== "string") throw invalid(at(field), "must be a string");
      return v;
    };
    const from = text("from");
    if (!validEndpoint(from)) throw invalid(at("from"), `${from} is not an IP address, a CIDR range or ANY`);
    const to = text("to");
    if (!validEndpoint(to)) throw invalid(at("to"), `${to} is not an IP address, a CIDR range or ANY`);
    const protocolText = text("protocol");
    const protocol = PROTOCOLS.find((p) => p === protocolText);
    if (!protocol) throw invalid(at("protocol"), `must be one of: ${PROTOCOLS.join(", ")}`);
    const port = text("port");
    if (!validPort(port)) throw invalid(at("port"), `${port} is not a port (1-65535) or a range such as 80-443`);
    const description = r.description;
    if (description !== undefined && description !== null && typeof description !== "string") throw invalid(at("description"), "must be a string");
    return { from, to, protocol, port, ...(typeof description === "string" ? { description } : {}), default: false };
  });
}

/** firewall_data, keys in the recorded order; `description` only on rules that have one. */
function firewallData(store: Store, f: FirewallRec): Record<string, unknown> {
  const p = store.projects.get(f.project);
  return {
    id: f.id,
    type: "firewalls",
    attributes: {
      name: f.name,
      project: p ? { id: p.id, name: p.name, slug: p.slug } : {},
      rules: f.rules.map((r) => ({ from: r.from, to: r.to, port: r.port, protocol: r.protocol, default: r.default, ...(r.description !== undefined ? { description: r.description } : {}) })),
    },
  };
}

function firewallOr404(ns: NetworkSecurity, id: string): FirewallRec {
  const f = ns.firewalls.get(id);
  if (!f) throw notFound();
  return f;
}

function serverRef(s: ServerRec | undefined): Record<string, unknown> {
  return s ? { id: s.id, hostname: s.hostname, primary_ipv4: s.primaryIpv4 } : {};
}

function createFirewall(ctx: Ctx): Reply {
  const ns = networkSecurityOf(ctx.store);
  const attrs = attributesOf(ctx.body);
  // create-firewall: name and project (id or slug; the spec's example sends a slug) are required.
  requireFields(attrs, ["name", "project"]);
  const ref = optString(attrs, "project") ?? "";
  const project = ctx.store.findProject(ref);
  if (!project) throw invalid("project", `project ${ref} does not exist`);
  const rules = attrs.rules === undefined || attrs.rules === null ? [] : parseRules(attrs.rules);
  // Names are not unique: nothing in the spec or the recordings says so.
  const f: FirewallRec = { id: ctx.store.newId("fw_", ns.firewalls), name: optString(attrs, "name") ?? "", project: project.id, rules: [{ ...DEFAULT_RULE }, ...rules] };
  ns.firewalls.set(f.id, f);
  return data(firewallData(ctx.store, f), 201);
}

function listFirewalls(ctx: Ctx): Reply {
  const ns = networkSecurityOf(ctx.store);
  // list-firewalls declares filter[project] only (its example passes a slug).
  const f = parseFilters(ctx.query, { filters: ["project"], paged: true });
  const rows = [...ns.firewalls.values()]
    .filter((fw) => filterHolds(f, "project", (op, v) => fw.project === v || matchString(ctx.store.projects.get(fw.project)?.slug, op, v)))
    .map((fw) => firewallData(ctx.store, fw));
  return list(rows, ctx);
}

/** update-firewall: name and/or rules; new rules replace the client's, the seeded one stays. */
function updateFirewall(ctx: Ctx): Reply {
  const ns = networkSecurityOf(ctx.store);
  const f = firewallOr404(ns, param(ctx, 0));
  const attrs = attributesOf(ctx.body);
  const name = optString(attrs, "name");
  if (name !== undefined && name.trim() === "") throw invalid("name", "must be filled");
  const rules = attrs.rules === undefined || attrs.rules === null ? undefined : parseRules(attrs.rules);
  if (name !== undefined) f.name = name;
  if (rules !== undefined) f.rules = [...f.rules.filter((r) => r.default), ...rules];
  return data(firewallData(ctx.store, f));
}

/**
 * delete-firewall: 204 (recorded; then GET 404). Whether assignments block it is not stated
 * anywhere; the emulator removes them with the firewall, since a server outlives its firewall.
 */
function deleteFirewall(ctx: Ctx): Reply {
  const ns = networkSecurityOf(ctx.store);
  const f = firewallOr404(ns, param(ctx, 0));
  ns.firewalls.delete(f.id);
  for (const a of ns.assignments.values()) if (a.firewall === f.id) ns.assignments.delete(a.id);
  return { status: 204 };
}

/**
 * create-firewall-assignment. One server may be in several firewalls: the spec's example of
 * GET /firewalls/assignments lists one server in two. The same pair twice, and a server of
 * another project than the firewall's, are refused (neither is stated; both would be surprising).
 */
function createAssignment(ctx: Ctx): Reply {
  const ns = networkSecurityOf(ctx.store);
  const f = firewallOr404(ns, param(ctx, 0));
  const attrs = attributesOf(ctx.body);
  requireFields(attrs, ["server_id"]);
  const serverId = optString(attrs, "server_id") ?? "";
  const server = ctx.store.servers.get(serverId);
  if (!server) throw invalid("server_id", `server ${serverId} does not exist`);
  if (server.project !== f.project) throw invalid("server_id", `server ${server.id} is not in the firewall's project`);
  if ([...ns.assignments.values()].some((a) => a.firewall === f.id && a.server === server.id)) {
    throw invalid("server_id", `server ${server.id} is already assigned to firewall ${f.id}`);
  }
  const a: FirewallAssignmentRec = { id: ctx.store.newId("fwasg_", ns.assignments), firewall: f.id, server: server.id };
  ns.assignments.set(a.id, a);
  // The recorded 201; the spec's firewall_server schema (no `data`, type firewall_servers) is not what the API sends.
  return data({ id: a.id, type: "firewall_assignments", attributes: { server: serverRef(server), firewall_id: f.id } }, 201);
}

/** get-firewall-assignments: `firewall_id` per item (recorded). */
function listFirewallAssignments(ctx: Ctx): Reply {
  const ns = networkSecurityOf(ctx.store);
  const f = firewallOr404(ns, param(ctx, 0));
  parseFilters(ctx.query, { filters: [], paged: true });
  const rows = [...ns.assignments.values()]
    .filter((a) => a.firewall === f.id)
    .map((a) => ({ id: a.id, type: "firewall_assignments", attributes: { server: serverRef(ctx.store.servers.get(a.server)), firewall_id: f.id } }));
  return list(rows, ctx);
}

/** get-all-firewall-assignments: `firewall {id, name}` per item (the spec's example), filter[server]. */
function listAllAssignments(ctx: Ctx): Reply {
  const ns = networkSecurityOf(ctx.store);
  const filters = parseFilters(ctx.query, { filters: ["server"], paged: true });
  const rows = [...ns.assignments.values()]
    .filter((a) => filterHolds(filters, "server", (op, v) => matchString(a.server, op, v)))
    .map((a) => {
      const f = ns.firewalls.get(a.firewall);
      return { id: a.id, type: "firewall_assignments", attributes: { server: serverRef(ctx.store.servers.get(a.server)), firewall: { id: a.firewall, name: f?.name ?? "" } } };
    });
  return list(rows, ctx);
}

/** delete-firewall-assignment: 204, and the list is empty at once (recorded). */
function deleteAssignment(ctx: Ctx): Reply {
  const ns = networkSecurityOf(ctx.store);
  const f = firewallOr404(ns, param(ctx, 0));
  const a = ns.assignments.get(param(ctx, 1));
  if (!a || a.firewall !== f.id) throw notFound();
  ns.assignments.delete(a.id);
  return { status: 204 };
}

export const firewallRoutes: Route[] = [
  // Before /firewalls/:id, which would otherwise take "assignments" for an id.
  route("GET", "/firewalls/assignments", listAllAssignments),
  route("POST", "/firewalls", createFirewall),
  route("GET", "/firewalls", listFirewalls),
  route("GET", "/firewalls/:id", (ctx) => data(firewallData(ctx.store, firewallOr404(networkSecurityOf(ctx.store), param(ctx, 0))))),
  route("PATCH", "/firewalls/:id", updateFirewall),
  route("DELETE", "/firewalls/:id", deleteFirewall),
  route("POST", "/firewalls/:id/assignments", createAssignment),
  route("GET", "/firewalls/:id/assignments", listFirewallAssignments),
  route("DELETE", "/firewalls/:id/assignments/:assignment_id", deleteAssignment),
];
