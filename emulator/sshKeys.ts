// /ssh_keys: team-level keys, optionally bound to a project. DELETE answers 200 {"meta":{}}.
import { createHash } from "node:crypto";
import {
  attributesOf,
  filterHolds,
  invalid,
  listReply,
  matchString,
  notFound,
  optString,
  optStringArray,
  parseFilters,
  requireFields,
  single,
  badRequest,
} from "./http";
import { timestamp } from "./ids";
import { param, route, type Ctx, type Route } from "./router";
import { USER, type SshKeyRec, type Store } from "./store";
import type { Knobs } from "./types";

const KEY_TYPE = /^(ssh-(rsa|dss|ed25519)|ecdsa-sha2-nistp(256|384|521)|sk-(ssh-ed25519|ecdsa-sha2-nistp256)@openssh\.com)$/;

/** Colon-separated MD5 of the decoded key blob; undefined when the text is not an OpenSSH public key. */
export function fingerprint(publicKey: string): string | undefined {
  const [type, blob] = publicKey.trim().split(/\s+/);
  if (!type || !blob || !KEY_TYPE.test(type) || !/^[A-Za-z0-9+/]+={0,2}$/.test(blob)) return undefined;
  const raw = Buffer.from(blob, "base64");
  // The blob starts with the key type as a length-prefixed string.
  if (raw.length < 4 + type.length || raw.readUInt32BE(0) !== type.length || raw.subarray(4, 4 + type.length).toString() !== type) {
    return undefined;
  }
  const hex = createHash("md5").update(raw).digest("hex");
  return hex.match(/../g)?.join(":");
}

/**
 * Knob sshKeyProject: "absent" (default) answers without `project`, as every recorded SSH key
 * answer (latitude-api.md §19); "embedded" with it, as the spec's ssh_key_data has it (`{}` for a
 * team key, §9). Filters by project work either way.
 */
function sshKeyData(store: Store, knobs: Knobs, k: SshKeyRec): Record<string, unknown> {
  const project = k.project ? store.projects.get(k.project) : undefined;
  const embedded = knobs.sshKeyProject === "embedded" ? { project: project ? store.projectInclude(project) : {} } : {};
  return {
    id: k.id,
    type: "ssh_keys",
    attributes: {
      name: k.name,
      public_key: k.publicKey,
      fingerprint: k.fingerprint,
      tags: store.tagIncludes(k.tags),
      ...embedded,
      user: USER,
      created_at: k.createdAt,
      updated_at: k.updatedAt,
    },
  };
}

function keyOr404(store: Store, id: string): SshKeyRec {
  const k = store.sshKeys.get(id);
  if (!k) throw notFound();
  return k;
}

function createKey(ctx: Ctx): ReturnType<typeof single> {
  const attrs = attributesOf(ctx.body);
  requireFields(attrs, ["name", "public_key"]);
  const store = ctx.store;
  const publicKey = (optString(attrs, "public_key") ?? "").trim();
  const fp = fingerprint(publicKey);
  if (!fp) throw invalid("public_key", "is not a valid OpenSSH public key");
  const projectRef = optString(attrs, "project");
  let project: string | null = null;
  if (projectRef !== undefined && projectRef !== "") {
    const p = store.findProject(projectRef);
    if (!p) throw invalid("project", `project ${projectRef} does not exist`);
    project = p.id;
  }
  const now = timestamp();
  const key: SshKeyRec = {
    id: store.newId("ssh_", store.sshKeys),
    name: optString(attrs, "name") ?? "",
    publicKey,
    fingerprint: fp,
    project,
    tags: [],
    createdAt: now,
    updatedAt: now,
  };
  store.sshKeys.set(key.id, key);
  return single(sshKeyData(store, ctx.knobs, key), 201);
}

function listKeys(ctx: Ctx): ReturnType<typeof listReply> {
  const f = parseFilters(ctx.query, { filters: ["project", "scope", "tags"], paged: true });
  const store = ctx.store;
  for (const c of f.get("scope") ?? []) {
    if (c.value !== "" && c.value !== "project" && c.value !== "team") throw badRequest("filter[scope] must be project or team", "filter[scope]");
  }
  const rows = [...store.sshKeys.values()]
    .filter((k) => {
      const slug = k.project ? store.projects.get(k.project)?.slug : undefined;
      return (
        filterHolds(f, "project", (op, v) => k.project === v || matchString(slug, op, v)) &&
        filterHolds(f, "scope", (_op, v) => v === "" || (v === "project") === (k.project !== null)) &&
        filterHolds(f, "tags", (_op, v) => v.split(",").every((t) => k.tags.includes(t.trim())))
      );
    })
    .map((k) => sshKeyData(store, ctx.knobs, k));
  return listReply(rows, ctx.query, { paged: true });
}

function updateKey(ctx: Ctx): ReturnType<typeof single> {
  const store = ctx.store;
  const key = keyOr404(store, param(ctx, 0));
  const attrs = attributesOf(ctx.body);
  if (attrs.public_key !== undefined && attrs.public_key !== key.publicKey) {
    throw invalid("public_key", "cannot be changed; create a new key instead");
  }
  const name = optString(attrs, "name");
  if (name !== undefined && name.trim() === "") throw invalid("name", "must be filled");
  const tags = optStringArray(attrs, "tags");
  const tagIds = tags !== undefined ? store.checkTags(tags) : undefined;
  if (name !== undefined) key.name = name;
  if (tagIds !== undefined) key.tags = tagIds;
  store.touch(key);
  return single(sshKeyData(store, ctx.knobs, key));
}

export const sshKeyRoutes: Route[] = [
  route("POST", "/ssh_keys", createKey),
  route("GET", "/ssh_keys", listKeys),
  route("GET", "/ssh_keys/:id", (ctx) => single(sshKeyData(ctx.store, ctx.knobs, keyOr404(ctx.store, param(ctx, 0))))),
  route("PATCH", "/ssh_keys/:id", updateKey),
  route("DELETE", "/ssh_keys/:id", (ctx) => {
    const key = keyOr404(ctx.store, param(ctx, 0));
    ctx.store.sshKeys.delete(key.id);
    return { status: 200, body: { meta: {} } };
  }),
];
