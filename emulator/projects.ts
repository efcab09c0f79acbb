// /projects: create, list with filters, read one (by id or slug), update, delete.
import {
  attributesOf,
  filterHolds,
  invalid,
  listReply,
  matchString,
  optBoolean,
  optString,
  optStringArray,
  parseFilters,
  requireFields,
  single,
  unprocessable,
} from "./http";
import { timestamp } from "./ids";
import { param, route, type Ctx, type Route } from "./router";
import { slugify, TEAM, type ProjectRec, type Store } from "./store";

const PROVISIONING = ["on_demand", "reserved"] as const;
const ENVIRONMENTS = ["Development", "Staging", "Production"];

/** `fresh`: the create response has description "" where later reads have null (§4). */
function projectData(store: Store, p: ProjectRec, fresh = false): Record<string, unknown> {
  const include = store.projectInclude(p);
  const attributes: Record<string, unknown> = { ...include };
  delete attributes.id;
  return {
    id: p.id,
    type: "projects",
    attributes: {
      ...attributes,
      description: fresh ? p.description : include.description,
      cost: "0.0",
      tags: store.tagIncludes(p.tags),
      team: TEAM,
      created_at: p.createdAt,
      updated_at: p.updatedAt,
    },
  };
}

function checkEnvironment(attrs: Record<string, unknown>): string | undefined {
  const env = optString(attrs, "environment");
  if (env !== undefined && !ENVIRONMENTS.includes(env)) throw invalid("environment", `must be one of: ${ENVIRONMENTS.join(", ")}`);
  return env;
}

/** Names are unique per team; two names with the same slug clash too. */
function checkName(store: Store, name: string, self?: string): void {
  const slug = slugify(name);
  for (const p of store.projects.values()) {
    if (p.id !== self && (p.name.toLowerCase() === name.toLowerCase() || p.slug === slug)) {
      throw invalid("name", "has already been taken");
    }
  }
}

function createProject(ctx: Ctx): ReturnType<typeof single> {
  const attrs = attributesOf(ctx.body);
  requireFields(attrs, ["name", "provisioning_type"]);
  const store = ctx.store;
  const name = (optString(attrs, "name") ?? "").trim();
  const provisioning = PROVISIONING.find((v) => v === optString(attrs, "provisioning_type"));
  if (!provisioning) throw invalid("provisioning_type", "must be one of: on_demand, reserved");
  const environment = checkEnvironment(attrs) ?? null;
  checkName(store, name);
  const now = timestamp();
  const project: ProjectRec = {
    id: store.newId("proj_", store.projects),
    name,
    slug: slugify(name),
    description: optString(attrs, "description") ?? "",
    provisioningType: provisioning,
    environment,
    bandwidthAlert: false,
    tags: [],
    subscriptionId: `sub_${store.rng.base62(24)}`,
    createdAt: now,
    updatedAt: now,
  };
  store.projects.set(project.id, project);
  return single(projectData(store, project, true), 201);
}

function listProjects(ctx: Ctx): ReturnType<typeof listReply> {
  const f = parseFilters(ctx.query, { filters: ["name", "slug", "description", "billing_type", "environment", "tags"], paged: true });
  const store = ctx.store;
  const rows = [...store.projects.values()]
    .filter((p) => {
      const include = store.projectInclude(p);
      return (
        filterHolds(f, "name", (op, v) => matchString(p.name, op, v)) &&
        filterHolds(f, "slug", (op, v) => matchString(p.slug, op, v)) &&
        filterHolds(f, "description", (op, v) => matchString(p.description, op, v)) &&
        filterHolds(f, "billing_type", (op, v) => matchString(String(include.billing_type), op, v)) &&
        filterHolds(f, "environment", (op, v) => matchString(p.environment, op, v)) &&
        filterHolds(f, "tags", (_op, v) => v.split(",").every((t) => p.tags.includes(t.trim())))
      );
    })
    .map((p) => projectData(store, p));
  return listReply(rows, ctx.query, { paged: true });
}

function updateProject(ctx: Ctx): ReturnType<typeof single> {
  const store = ctx.store;
  const project = store.projectOr404(param(ctx, 0));
  const attrs = attributesOf(ctx.body);
  const name = optString(attrs, "name");
  if (name !== undefined) {
    if (name.trim() === "") throw invalid("name", "must be filled");
    checkName(store, name.trim(), project.id);
  }
  const environment = checkEnvironment(attrs);
  const bandwidthAlert = optBoolean(attrs, "bandwidth_alert");
  const tags = optStringArray(attrs, "tags");
  const tagIds = tags !== undefined ? store.checkTags(tags) : undefined;
  const description = optString(attrs, "description");
  // The slug stays as created (assumed): clients address projects by it.
  if (name !== undefined) project.name = name.trim();
  if (description !== undefined) project.description = description;
  if (environment !== undefined) project.environment = environment;
  if (bandwidthAlert !== undefined) project.bandwidthAlert = bandwidthAlert;
  if (tagIds !== undefined) project.tags = tagIds;
  store.touch(project);
  return single(projectData(store, project));
}

function deleteProject(ctx: Ctx): { status: number } {
  const store = ctx.store;
  const project = store.projectOr404(param(ctx, 0));
  const servers = [...store.servers.values()].filter((s) => s.project === project.id).length;
  // Undocumented for servers; the docs say 422 for a project with active VMs, so the same here.
  if (servers > 0) {
    throw unprocessable("PROJECT_HAS_ACTIVE_RESOURCES", "Project Has Active Resources", `Project ${project.slug} still has ${servers} server(s); delete them first`);
  }
  for (const v of [...store.vlans.values()]) {
    if (v.project === project.id) store.vlans.delete(v.id);
  }
  for (const k of [...store.sshKeys.values()]) {
    if (k.project === project.id) store.sshKeys.delete(k.id);
  }
  store.projects.delete(project.id);
  return { status: 204 };
}

export const projectRoutes: Route[] = [
  route("POST", "/projects", createProject),
  route("GET", "/projects", listProjects),
  // Not in the spec, but it answered 200 with the project in the 2024 recordings (§19).
  route("GET", "/projects/:id", (ctx) => single(projectData(ctx.store, ctx.store.projectOr404(param(ctx, 0))))),
  route("PATCH", "/projects/:id", updateProject),
  route("DELETE", "/projects/:id", deleteProject),
];
