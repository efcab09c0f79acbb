// /virtual_networks (VLANs) and /virtual_networks/assignments (server ↔ VLAN, asynchronous).
import { findSite } from "./catalog";
import {
  ApiError,
  attributesOf,
  errorObject,
  filterHolds,
  invalid,
  listReply,
  matchNumber,
  matchString,
  notFound,
  optString,
  optStringArray,
  parseFilters,
  requireFields,
  single,
} from "./http";
import { param, route, type Ctx, type Route } from "./router";
import { regionInclude, type AssignmentRec, type Store, type VlanRec } from "./store";

const VID_MIN = 2000;
const VID_MAX = 2099;

function vlanOr404(store: Store, id: string): VlanRec {
  const v = store.vlans.get(id);
  if (!v) throw notFound();
  return v;
}

/**
 * Read shape (GET one, list): region and assignments_count, no name/site, and no project or
 * created_at, which no recorded answer carries (latitude-api.md §11 read column, §19).
 */
function vlanData(store: Store, v: VlanRec): Record<string, unknown> {
  const site = findSite(v.site);
  if (!site) throw new Error(`VLAN ${v.id} has unknown site ${v.site}`);
  return {
    id: v.id,
    type: "virtual_networks",
    attributes: {
      tags: store.tagIncludes(v.tags),
      vid: v.vid,
      description: v.description,
      region: regionInclude(site),
      assignments_count: [...store.assignments.values()].filter((a) => a.vlan === v.id).length,
    },
  };
}

/** Write shape (create and PATCH answers, both recorded): name "SITE-VID" and site, no region. */
function vlanWritten(store: Store, v: VlanRec): Record<string, unknown> {
  const attributes = { tags: store.tagIncludes(v.tags), vid: v.vid, name: `${v.site}-${v.vid}`, description: v.description, site: v.site };
  return { id: v.id, type: "virtual_networks", attributes };
}

function createVlan(ctx: Ctx): ReturnType<typeof single> {
  const attrs = attributesOf(ctx.body);
  // The spec requires description (and every recorded client sends it).
  requireFields(attrs, ["description", "site", "project"]);
  const store = ctx.store;
  const siteSlug = optString(attrs, "site") ?? "";
  const site = findSite(siteSlug);
  if (!site) throw invalid("site", `${siteSlug} is not a valid site`);
  const projectRef = optString(attrs, "project") ?? "";
  const project = store.findProject(projectRef);
  if (!project) throw invalid("project", `project ${projectRef} does not exist`);
  const used = new Set([...store.vlans.values()].filter((v) => v.site === site.slug).map((v) => v.vid));
  let vid = VID_MIN;
  while (used.has(vid)) vid++;
  if (vid > VID_MAX) throw invalid("site", `no free VLAN ids left at ${site.slug}`);
  const vlan: VlanRec = {
    id: store.newId("vlan_", store.vlans),
    vid,
    site: site.slug,
    project: project.id,
    description: optString(attrs, "description") ?? "",
    tags: [],
  };
  store.vlans.set(vlan.id, vlan);
  return single(vlanWritten(store, vlan), 201);
}

function listVlans(ctx: Ctx): ReturnType<typeof listReply> {
  const f = parseFilters(ctx.query, { filters: ["project", "location", "tags"], paged: true });
  const store = ctx.store;
  const rows = [...store.vlans.values()]
    .filter((v) => {
      const slug = store.projects.get(v.project)?.slug;
      return (
        filterHolds(f, "project", (op, val) => v.project === val || matchString(slug, op, val)) &&
        filterHolds(f, "location", (op, val) => matchString(v.site, op, val)) &&
        filterHolds(f, "tags", (_op, val) => val.split(",").every((t) => v.tags.includes(t.trim())))
      );
    })
    .map((v) => vlanData(store, v));
  return listReply(rows, ctx.query, { paged: true });
}

function updateVlan(ctx: Ctx): ReturnType<typeof single> {
  const store = ctx.store;
  const vlan = vlanOr404(store, param(ctx, 0));
  const attrs = attributesOf(ctx.body);
  const description = optString(attrs, "description");
  const tags = optStringArray(attrs, "tags");
  const tagIds = tags !== undefined ? store.checkTags(tags) : undefined;
  if (description !== undefined) vlan.description = description;
  if (tagIds !== undefined) vlan.tags = tagIds;
  return single(vlanWritten(store, vlan));
}

function deleteVlan(ctx: Ctx): { status: number } {
  const store = ctx.store;
  const vlan = vlanOr404(store, param(ctx, 0));
  // Assignments still being removed count too: clients must retry until they drain.
  if ([...store.assignments.values()].some((a) => a.vlan === vlan.id)) {
    throw new ApiError(406, [
      errorObject(406, "VIRTUAL_NETWORK_DELETION_ERROR", "Virtual Network Deletion Restriction", "Please remove all assignments from this virtual network before deleting it"),
    ]);
  }
  store.vlans.delete(vlan.id);
  return { status: 204 };
}

function assignmentData(store: Store, a: AssignmentRec): Record<string, unknown> {
  const vlan = store.vlans.get(a.vlan);
  const s = store.servers.get(a.server);
  return {
    id: a.id,
    type: "virtual_network_assignment",
    attributes: {
      virtual_network_id: a.vlan,
      vid: vlan?.vid ?? null,
      description: vlan?.description ?? null,
      status: a.status,
      server: s ? { id: s.id, hostname: s.hostname, label: s.label, locked: s.locked, status: s.status } : null,
    },
  };
}

function createAssignment(ctx: Ctx): ReturnType<typeof single> {
  const attrs = attributesOf(ctx.body);
  requireFields(attrs, ["server_id", "virtual_network_id"]);
  const store = ctx.store;
  const serverId = optString(attrs, "server_id") ?? "";
  const vlanId = optString(attrs, "virtual_network_id") ?? "";
  const server = store.servers.get(serverId);
  if (!server) throw invalid("server_id", `server ${serverId} does not exist`);
  const vlan = store.vlans.get(vlanId);
  if (!vlan) throw invalid("virtual_network_id", `virtual network ${vlanId} does not exist`);
  // Not recorded; the reference assumes a 422 when the sites differ.
  if (server.site !== vlan.site) {
    throw invalid("virtual_network_id", `server ${server.id} is in ${server.site} but virtual network ${vlan.id} is in ${vlan.site}`);
  }
  if ([...store.assignments.values()].some((a) => a.server === server.id && a.vlan === vlan.id && a.status !== "disconnecting")) {
    throw invalid("server_id", `server ${server.id} is already assigned to ${vlan.id}`);
  }
  const a: AssignmentRec = { id: store.newId("vnasg_", store.assignments), vlan: vlan.id, server: server.id, status: "connecting" };
  store.assignments.set(a.id, a);
  ctx.lifecycle.connectAssignment(a);
  const attributes = { virtual_network_id: vlan.id, vid: vlan.vid, server_id: server.id, description: vlan.description, status: a.status };
  return single({ id: a.id, type: "virtual_network_assignment", attributes }, 201);
}

function listAssignments(ctx: Ctx): ReturnType<typeof listReply> {
  const f = parseFilters(ctx.query, { filters: ["server", "virtual_network_id", "vid"], paged: true });
  const store = ctx.store;
  const rows = [...store.assignments.values()]
    .filter((a) => {
      const vid = store.vlans.get(a.vlan)?.vid ?? -1;
      return (
        filterHolds(f, "server", (op, v) => matchString(a.server, op, v)) &&
        filterHolds(f, "virtual_network_id", (op, v) => matchString(a.vlan, op, v)) &&
        filterHolds(f, "vid", (op, v) => matchNumber(vid, op, v))
      );
    })
    .map((a) => assignmentData(store, a));
  return listReply(rows, ctx.query, { paged: true });
}

export const vlanRoutes: Route[] = [
  route("POST", "/virtual_networks/assignments", createAssignment),
  route("GET", "/virtual_networks/assignments", listAssignments),
  route("DELETE", "/virtual_networks/assignments/:id", (ctx) => {
    const a = ctx.store.assignments.get(param(ctx, 0));
    if (!a) throw notFound();
    ctx.lifecycle.removeAssignment(a);
    return { status: 204 };
  }),
  route("POST", "/virtual_networks", createVlan),
  route("GET", "/virtual_networks", listVlans),
  route("GET", "/virtual_networks/:id", (ctx) => single(vlanData(ctx.store, vlanOr404(ctx.store, param(ctx, 0))))),
  route("PATCH", "/virtual_networks/:id", updateVlan),
  route("DELETE", "/virtual_networks/:id", deleteVlan),
];
