// /servers: create (partial 201), list with filters, read (full shape), update, delete.
import { billingPrice, diskGb, findOs, findPlan, findSite, type Plan } from "./catalog";
import { chooseInterfaceShape, interfacesAttribute } from "./interfaces";
import {
  ApiError,
  filterHolds,
  invalid,
  listReply,
  locked,
  matchNumber,
  matchString,
  notFound,
  optString,
  optStringArray,
  parseBool,
  parseFilters,
  requireFields,
  single,
  attributesOf,
  fieldError,
  Decimal,
} from "./http";
import { timestamp } from "./ids";
import { param, route, type Ctx, type Route } from "./router";
import { regionInclude, TEAM, type ProjectRec, type ServerRec, type Store } from "./store";

export type Billing = ServerRec["billing"];
export const BILLINGS: readonly Billing[] = ["hourly", "monthly", "yearly"];

export function serverOr404(store: Store, id: string): ServerRec {
  const s = store.servers.get(id);
  if (!s) throw notFound();
  return s;
}

function planOf(server: ServerRec): Plan {
  const plan = findPlan(server.plan);
  if (!plan) throw new Error(`server ${server.id} has unknown plan ${server.plan}`);
  return plan;
}

function specs(plan: Plan): Record<string, string | null> {
  return {
    cpu: `${plan.cpu.type} @ ${plan.cpu.clock}GHz (${plan.cpu.cores * plan.cpu.count} cores)`,
    disk: plan.drives.map((d) => `${d.count} x ${d.size} ${d.type}`).join(", "),
    ram: `${plan.ramGb} GB`,
    nic: plan.nics.map((n) => `${n.count} X ${n.type}`).join(", "),
    gpu: plan.gpu ? `${plan.gpu.count} x ${plan.gpu.type}` : null,
  };
}

function planInclude(server: ServerRec): Record<string, unknown> {
  const plan = planOf(server);
  return { id: plan.id, name: plan.name, slug: plan.slug, billing: server.billing };
}

/** The 201 body of POST /servers: no region, OS, project, tags or created_at (as recorded). */
export function partialServerData(server: ServerRec): Record<string, unknown> {
  return {
    id: server.id,
    type: "servers",
    attributes: {
      hostname: server.hostname,
      label: server.label,
      role: "Bare Metal",
      status: server.status,
      primary_ipv4: server.primaryIpv4,
      specs: specs(planOf(server)),
      plan: planInclude(server),
    },
  };
}

/** The full GET shape (§8.2); `status` is what the reader sees (may be stale after a reinstall). */
export function serverData(store: Store, server: ServerRec, status: string): Record<string, unknown> {
  const plan = planOf(server);
  const site = findSite(server.site);
  const os = findOs(server.os);
  const project = store.projects.get(server.project);
  if (!site || !os) throw new Error(`server ${server.id} refers to an unknown site or OS`);
  return {
    id: server.id,
    type: "servers",
    attributes: {
      hostname: server.hostname,
      label: server.label,
      role: "Bare Metal",
      status,
      ipmi_status: "Normal",
      locked: server.locked,
      rescue_allowed: os.features.rescue,
      primary_ipv4: server.primaryIpv4,
      ...(server.primaryIpv6 !== undefined ? { primary_ipv6: server.primaryIpv6 } : {}),
      created_at: server.createdAt,
      scheduled_deletion_at: null,
      price: new Decimal(billingPrice(plan, site, server.billing)),
      tags: store.tagIncludes(server.tags),
      plan: planInclude(server),
      operating_system: {
        name: os.name,
        slug: os.slug,
        version: os.version,
        features: os.features,
        distro: { name: os.distro, slug: os.distro, series: os.series },
      },
      region: regionInclude(site),
      specs: specs(plan),
      ...interfacesAttribute(server.interfaceShape, server.id),
      project: project ? store.projectInclude(project) : {},
      team: TEAM,
    },
  };
}

function resolveProject(store: Store, idOrSlug: string): ProjectRec {
  const p = store.findProject(idOrSlug);
  if (!p) throw invalid("project", `project ${idOrSlug} does not exist`);
  return p;
}

/**
 * hourly and monthly for on-demand projects, yearly for reserved ones (the spec's create-server
 * `billing`; latitude-api.md §4, §19). The error code and text are not recorded.
 */
function requireBillingFits(billing: Billing, project: ProjectRec): void {
  const allowed: readonly Billing[] = project.provisioningType === "reserved" ? ["yearly"] : ["hourly", "monthly"];
  if (!allowed.includes(billing)) {
    throw invalid("billing", `${billing} billing is not available in ${project.provisioningType} project ${project.slug}; it takes ${allowed.join(" or ")}`);
  }
}

function checkBilling(value: string | undefined, project: ProjectRec): Billing | undefined {
  if (value === undefined) return undefined;
  const billing = BILLINGS.find((b) => b === value);
  if (!billing) throw invalid("billing", "must be one of: hourly, monthly, yearly");
  requireBillingFits(billing, project);
  return billing;
}

export function checkSshKeys(store: Store, ids: readonly string[]): string[] {
  for (const id of ids) if (!store.sshKeys.has(id)) throw invalid("ssh_keys", `SSH key ${id} does not exist`);
  return [...ids];
}

/** OS must exist and be provisionable on the plan; `ipxe` needs its script or URL. */
export function checkOs(osSlug: string, plan: Plan, ipxe: string | undefined): void {
  const os = findOs(osSlug);
  if (!os) throw invalid("operating_system", `${osSlug} is not a valid operating system`);
  if (!os.provisionableOn.includes(plan.name)) {
    throw invalid("operating_system", `${osSlug} is not provisionable on ${plan.slug}`);
  }
  if (osSlug === "ipxe" && (ipxe === undefined || ipxe.trim() === "")) throw invalid("ipxe", "must be filled");
}

function createServer(ctx: Ctx): ReturnType<typeof single> {
  const attrs = attributesOf(ctx.body);
  requireFields(attrs, ["project", "plan", "site", "operating_system", "hostname"]);
  const store = ctx.store;
  const project = resolveProject(store, optString(attrs, "project") ?? "");
  const planSlug = optString(attrs, "plan") ?? "";
  const plan = findPlan(planSlug);
  if (!plan) throw invalid("plan", `${planSlug} is not a valid plan`);
  const siteSlug = optString(attrs, "site") ?? "";
  // Site slugs are upper case in every response; clients must send them that way.
  const site = findSite(siteSlug);
  if (!site) throw invalid("site", `${siteSlug} is not a valid site`);
  // Codes for the two placement failures are not recorded; these are assumptions.
  if (!plan.available.includes(site.slug)) {
    throw invalid("site", `plan ${plan.slug} is not available at ${site.slug}`, "PLAN_NOT_AVAILABLE");
  }
  if (!store.stock.has(plan.slug, site.slug)) {
    const elsewhere = store.stock.sites(plan.slug).join(", ") || "nowhere";
    throw invalid("plan", `plan ${plan.slug} is out of stock at ${site.slug} (in stock at: ${elsewhere})`, "OUT_OF_STOCK");
  }
  const osSlug = optString(attrs, "operating_system") ?? "";
  const ipxe = optString(attrs, "ipxe");
  checkOs(osSlug, plan, ipxe);
  const billing = checkBilling(optString(attrs, "billing"), project) ?? (project.provisioningType === "reserved" ? "yearly" : "hourly");
  const sshKeys = checkSshKeys(store, optStringArray(attrs, "ssh_keys") ?? []);
  const id = store.newId("sv_", store.servers);
  const server: ServerRec = {
    id,
    hostname: optString(attrs, "hostname") ?? "",
    label: `21BS${String(store.rng.int(0, 999999)).padStart(6, "0")}`,
    status: "starting_deploy",
    project: project.id,
    plan: plan.slug,
    site: site.slug,
    os: osSlug,
    ...(osSlug === "ipxe" && ipxe !== undefined ? { ipxe } : {}),
    billing,
    primaryIpv4: store.addresses.next(),
    ...(site.ipv6 ? { primaryIpv6: `2001:db8:${store.rng.int(1, 0xfff).toString(16)}::${store.servers.size + 2}` } : {}),
    tags: [],
    sshKeys,
    locked: false,
    booted: false,
    createdAt: timestamp(),
    interfaceShape: chooseInterfaceShape(ctx.knobs.interfaceShape, { hostname: optString(attrs, "hostname") ?? "", plan: plan.slug }),
  };
  store.servers.set(id, server);
  ctx.lifecycle.startDeploy(server);
  return single(partialServerData(server), 201);
}

const SERVER_FILTERS = ["project", "region", "hostname", "label", "status", "plan", "gpu", "ram", "disk", "created_at_gte", "created_at_lte", "tags"];

/** Live servers (their status read as a GET would), then deleted ones still listed (their last status). */
function listed(ctx: Ctx): Array<{ s: ServerRec; status: () => string }> {
  const now = Date.now();
  const ghosts = ctx.store.deletedServers;
  for (const [id, g] of ghosts) if (g.listedUntil <= now) ghosts.delete(id);
  return [...[...ctx.store.servers.values()].map((s) => ({ s, status: () => ctx.lifecycle.observe(s) })), ...[...ghosts.values()].map((g) => ({ s: g.server, status: () => g.status }))];
}

function listServers(ctx: Ctx): ReturnType<typeof listReply> {
  const f = parseFilters(ctx.query, { filters: SERVER_FILTERS, paged: true });
  const store = ctx.store;
  const rows: Array<Record<string, unknown>> = [];
  for (const { s, status: statusOf } of listed(ctx)) {
    const plan = planOf(s);
    const project = store.projects.get(s.project);
    const ok =
      filterHolds(f, "project", (op, v) => s.project === v || matchString(project?.slug, op, v)) &&
      filterHolds(f, "region", (op, v) => matchString(s.site, op, v)) &&
      filterHolds(f, "hostname", (op, v) => matchString(s.hostname, op, v)) &&
      filterHolds(f, "label", (op, v) => matchString(s.label, op, v)) &&
      filterHolds(f, "plan", (op, v) => matchString(s.plan, op, v)) &&
      filterHolds(f, "gpu", (_op, v) => parseBool(v, "filter[gpu]") === (plan.gpu !== undefined)) &&
      filterHolds(f, "ram", (op, v) => matchNumber(plan.ramGb, op, v)) &&
      filterHolds(f, "disk", (op, v) => matchNumber(diskGb(plan), op, v)) &&
      filterHolds(f, "created_at_gte", (_op, v) => s.createdAt >= v) &&
      filterHolds(f, "created_at_lte", (_op, v) => s.createdAt <= v) &&
      filterHolds(f, "tags", (_op, v) => v.split(",").every((t) => s.tags.includes(t.trim())));
    if (!ok) continue;
    // Polling by list sees the same stale status as polling by id.
    const status = statusOf();
    if (!filterHolds(f, "status", (op, v) => matchString(status, op, v))) continue;
    rows.push(serverData(store, s, status));
  }
  return listReply(rows, ctx.query, { paged: true });
}

function updateServer(ctx: Ctx): ReturnType<typeof single> {
  const store = ctx.store;
  const server = serverOr404(store, param(ctx, 0));
  if (server.locked) throw locked();
  const attrs = attributesOf(ctx.body);
  const hostname = optString(attrs, "hostname");
  if (hostname !== undefined && hostname.trim() === "") throw invalid("hostname", "must be filled");
  const projectRef = optString(attrs, "project");
  const project = projectRef !== undefined ? resolveProject(store, projectRef) : store.projects.get(server.project);
  if (!project) throw new Error(`server ${server.id} has no project`);
  const billing = checkBilling(optString(attrs, "billing"), project);
  // A move keeps the billing, which must suit the new project too.
  if (billing === undefined && projectRef !== undefined) requireBillingFits(server.billing, project);
  if (billing !== undefined && BILLINGS.indexOf(billing) < BILLINGS.indexOf(server.billing)) {
    // The real code for a downgrade is not recorded; 422 is the reference's assumption.
    throw new ApiError(422, [fieldError("billing", `billing can only be upgraded (hourly → monthly → yearly); it is ${server.billing}`)]);
  }
  const tags = optStringArray(attrs, "tags");
  const tagIds = tags !== undefined ? store.checkTags(tags) : undefined;
  if (hostname !== undefined) server.hostname = hostname;
  if (billing !== undefined) server.billing = billing;
  if (tagIds !== undefined) server.tags = tagIds;
  server.project = project.id;
  return single(serverData(store, server, ctx.lifecycle.observe(server)));
}

export const serverRoutes: Route[] = [
  route("POST", "/servers", createServer, true),
  route("GET", "/servers", listServers),
  route("GET", "/servers/:id", (ctx) => {
    const server = serverOr404(ctx.store, param(ctx, 0));
    return single(serverData(ctx.store, server, ctx.lifecycle.observe(server)));
  }),
  route("PATCH", "/servers/:id", updateServer),
  route("DELETE", "/servers/:id", async (ctx) => {
    const server = serverOr404(ctx.store, param(ctx, 0));
    if (server.locked) throw locked();
    const last = server.stale?.status ?? server.status;
    await ctx.lifecycle.removeServer(server.id);
    // GET answers 404 at once (recorded, §8.2); how long lists still show the server is not
    // recorded (§19), so a knob decides, and no `deleting` status is made up for it.
    const ms = ctx.knobs.deletedServerListedMs;
    if (ms > 0) ctx.store.deletedServers.set(server.id, { server, status: last, listedUntil: Date.now() + ms });
    return { status: 204 };
  }),
];
