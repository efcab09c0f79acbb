// /tags: team tags. No paging, no single GET (read by listing), unique names.
import { attributesOf, invalid, notFound, optString, parseFilters, requireFields, type Reply } from "./http";
import { param, route, type Ctx, type Route } from "./router";
import { slugify, TEAM, type Store, type TagRec } from "./store";

function tagData(t: TagRec): Record<string, unknown> {
  return { id: t.id, type: "tags", attributes: { name: t.name, slug: t.slug, description: t.description, color: t.color, team: TEAM } };
}

/** Tag create and PATCH answers carry no `meta` in the recordings (latitude-api.md §1.1). */
const tagReply = (t: TagRec, status: number): Reply => ({ status, body: { data: tagData(t) } });

function tagOr404(store: Store, id: string): TagRec {
  const t = store.tags.get(id);
  if (!t) throw notFound();
  return t;
}

/** Exact clash → NAME_ALREADY_TAKEN; same name modulo case/spacing → NAME_TOO_SIMILAR. */
function checkName(store: Store, name: string, self?: string): void {
  for (const t of store.tags.values()) {
    if (t.id === self) continue;
    if (t.name === name) throw invalid("name", "has already been taken", "NAME_ALREADY_TAKEN");
    if (t.slug === slugify(name)) throw invalid("name", `is too similar to the existing tag ${t.name}`, "NAME_TOO_SIMILAR");
  }
}

function readFields(attrs: Record<string, unknown>): { name?: string; description?: string | null; color?: string } {
  const name = optString(attrs, "name");
  if (name !== undefined && (name.trim() === "" || name.length > 40)) {
    throw invalid("name", name.trim() === "" ? "must be filled" : "size cannot be greater than 40");
  }
  const description = attrs.description === null ? null : optString(attrs, "description");
  if (typeof description === "string" && description.length > 255) throw invalid("description", "size cannot be greater than 255");
  const color = optString(attrs, "color");
  if (color !== undefined && !/^#[0-9a-fA-F]{6}$/.test(color)) throw invalid("color", "must be a hex colour like #ffffff");
  return {
    ...(name !== undefined ? { name } : {}),
    ...(description !== undefined ? { description } : {}),
    ...(color !== undefined ? { color } : {}),
  };
}

function createTag(ctx: Ctx): Reply {
  const attrs = attributesOf(ctx.body);
  requireFields(attrs, ["name"]);
  const store = ctx.store;
  const fields = readFields(attrs);
  const name = fields.name ?? "";
  checkName(store, name);
  const tag: TagRec = {
    // Tag ids are longer than the others (~27 chars after the prefix).
    id: store.newId("tag_", store.tags, 27),
    name,
    slug: slugify(name),
    description: fields.description ?? null,
    color: fields.color ?? "#ffffff",
  };
  store.tags.set(tag.id, tag);
  return tagReply(tag, 201);
}

function updateTag(ctx: Ctx): Reply {
  const store = ctx.store;
  const tag = tagOr404(store, param(ctx, 0));
  const fields = readFields(attributesOf(ctx.body));
  if (fields.name !== undefined) {
    checkName(store, fields.name, tag.id);
    tag.name = fields.name;
    tag.slug = slugify(fields.name);
  }
  if (fields.description !== undefined) tag.description = fields.description;
  if (fields.color !== undefined) tag.color = fields.color;
  return tagReply(tag, 200);
}

function deleteTag(ctx: Ctx): { status: number } {
  const store = ctx.store;
  const tag = tagOr404(store, param(ctx, 0));
  store.tags.delete(tag.id);
  const owners: Array<{ tags: string[] }> = [...store.servers.values(), ...store.projects.values(), ...store.sshKeys.values(), ...store.vlans.values()];
  for (const o of owners) o.tags = o.tags.filter((id) => id !== tag.id);
  return { status: 204 };
}

export const tagRoutes: Route[] = [
  route("GET", "/tags", (ctx) => {
    // No filters and no paging (the spec declares none): either is a 400.
    parseFilters(ctx.query, { filters: [], paged: false });
    // `meta` is absent on this list in recordings.
    return { status: 200, body: { data: [...ctx.store.tags.values()].map(tagData) } };
  }),
  route("POST", "/tags", createTag),
  route("PATCH", "/tags/:id", updateTag),
  route("DELETE", "/tags/:id", deleteTag),
];
