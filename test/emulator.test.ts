/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-argument, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-return --
   API responses are untyped JSON; these tests exist to assert their shape. */
// The Latitude.sh emulator over real HTTP (and TCP for the Talos port), per the reference §16.
import { createHash } from "node:crypto";
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { PLAN_SLUGS, SITE_SLUGS, startEmulator, type Emulator } from "../emulator";
import { apiClient, findBy, pluck, sshPublicKey, waitFor, type ApiClient } from "./emulator/testing";

const NOT_FOUND = { errors: [{ code: "not_found", status: "404", title: "Error", detail: "Specified Record Not Found", meta: {} }] };
const LOCKED = { errors: [{ code: null, status: "locked", title: "Locked Server", detail: "Server is locked and cannot be updated or deleted", meta: {} }] };

const doc = (type: string, attributes: Record<string, unknown>, id?: string) => ({ data: { type, ...(id ? { id } : {}), attributes } });

async function newProject(api: ApiClient, name: string, provisioning_type = "on_demand"): Promise<string> {
  const r = await api.post("/projects", doc("projects", { name, provisioning_type }));
  expect(r.status).toBe(201);
  return r.body.data.id;
}

function serverAttrs(project: string, extra: Record<string, unknown> = {}) {
  return { project, plan: "c2-small-x86", site: "MIA2", operating_system: "ubuntu_24_04_x64_lts", hostname: "node-1", billing: "hourly", ...extra };
}

async function newServer(api: ApiClient, project: string, extra: Record<string, unknown> = {}): Promise<string> {
  const r = await api.post("/servers", doc("servers", serverAttrs(project, extra)));
  expect(r.status).toBe(201);
  return r.body.data.id;
}

const statusOf = async (api: ApiClient, id: string): Promise<string> => (await api.get(`/servers/${id}`)).body.data.attributes.status;
const untilStatus = (api: ApiClient, id: string, want: string) => waitFor(async () => ((await statusOf(api, id)) === want ? true : undefined));

describe("transport, auth and errors", () => {
  let emu: Emulator;
  beforeAll(async () => {
    emu = await startEmulator({ apiKeys: ["good-key"], deployMs: 100 });
  });
  afterAll(() => emu.close());

  it("accepts the raw key and Bearer, refuses missing or unknown keys with 401 errors", async () => {
    // The raw key is what Latitude's generated clients send; Bearer what its docs show (§1).
    const raw = await fetch(`${emu.url}/regions`, { headers: { Authorization: "good-key" } });
    expect(raw.status).toBe(200);
    expect(raw.headers.get("content-type")).toBe("application/vnd.api+json; charset=utf-8");
    expect(raw.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    expect((await fetch(`${emu.url}/regions`, { headers: { Authorization: "Bearer good-key" } })).status).toBe(200);
    expect((await fetch(`${emu.url}/regions`)).status).toBe(401);
    expect((await fetch(`${emu.url}/regions`, { headers: { Authorization: "Bearer " } })).status).toBe(401);
    expect((await apiClient(emu.url, "good-key").get("/regions")).status).toBe(200);
    for (const api of [apiClient(emu.url, null), apiClient(emu.url, "bad-key")]) {
      const r = await api.get("/regions");
      expect(r.status).toBe(401);
      expect(r.body.errors[0]).toMatchObject({ code: "UNAUTHORIZED", status: "401" });
    }
  });

  it("answers 404 with the recorded body, 400 on malformed JSON, and GET /projects/{id or slug} with the project", async () => {
    const api = apiClient(emu.url, "good-key");
    expect((await api.get("/servers/sv_doesnotexist1")).body).toEqual(NOT_FOUND);
    const project = await newProject(api, "Transport");
    // Not in the spec; answered 200 in the 2024 recordings (latitude-api.md §19).
    for (const ref of [project, "transport"]) {
      const one = await api.get(`/projects/${ref}`);
      expect(one.status).toBe(200);
      expect(one.body.data).toMatchObject({ id: project, type: "projects", attributes: { slug: "transport", description: null } });
    }
    expect((await api.get("/projects/no-such-project")).body).toEqual(NOT_FOUND);
    const bad = await api.request("POST", "/projects", { body: "{not json", headers: { "Content-Type": "application/vnd.api+json" } });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].code).toBe("VALIDATION_ERROR");
  });
});

describe("catalogue and lists", () => {
  let emu: Emulator;
  let api: ApiClient;
  beforeAll(async () => {
    emu = await startEmulator();
    api = apiClient(emu.url);
  });
  afterAll(() => emu.close());

  it("pages /regions with page[size] default 20 and a short last page", async () => {
    expect(SITE_SLUGS.length).toBeGreaterThan(20);
    const p1 = await api.get("/regions");
    const p2 = await api.get("/regions?page[number]=2");
    expect(p1.body.data).toHaveLength(20);
    expect(p1.body.meta).toEqual({});
    expect(p2.body.data).toHaveLength(SITE_SLUGS.length - 20);
    const slugs = pluck([...p1.body.data, ...p2.body.data], "slug");
    expect(slugs).toEqual(SITE_SLUGS);
    expect(p1.body.data[0].id).toMatch(/^loc_[0-9A-Za-z]{13}$/);
    expect(p1.body.data[0].attributes).toMatchObject({ slug: "ASH", country: { name: "United States" }, type: "Core" });
    const small = await api.get("/regions?page[size]=7&page[number]=4&stats[total]=count");
    expect(pluck(small.body.data, "slug")).toEqual(SITE_SLUGS.slice(21, 28));
    expect(small.body.meta).toEqual({ stats: { total: { count: SITE_SLUGS.length } } });
    expect((await api.get("/regions?page[size]=0")).status).toBe(400);
    expect(pluck((await api.get("/regions?filter[slug]=SAO")).body.data, "slug")).toEqual(["SAO"]);
  });

  it("rejects unknown filters with 400 and source.parameter", async () => {
    const r = await api.get("/servers?filter[colour]=red");
    expect(r.status).toBe(400);
    expect(r.body.errors[0]).toMatchObject({ code: "VALIDATION_ERROR", source: { parameter: "filter[colour]" } });
  });

  it("serves plans with per-market stock and prices, filtered by slug/in_stock/location/gpu", async () => {
    const r = await api.get("/plans?filter[slug]=c2-small-x86");
    expect(r.body.data).toHaveLength(1);
    const plan = r.body.data[0];
    expect(plan.id).toMatch(/^plan_/);
    expect(plan.attributes.name).toBe("c2.small.x86");
    const us = findBy(plan.attributes.regions, "name", "United States");
    expect(us.locations.available).toContain("DAL");
    expect(us.locations.in_stock).toContain("MIA2");
    expect(us.locations.in_stock).not.toContain("DAL");
    expect(us.pricing.USD).toEqual({ hour: 0.2, month: 139, year: 1223 });
    // Written as decimals even when whole, as recorded (`"month":153.0`; §19).
    const text = await (await fetch(`${emu.url}/plans?filter[slug]=c2-small-x86`, { headers: { Authorization: "k" } })).text();
    expect(text).toContain('"USD":{"hour":0.2,"month":139.0,"year":1223.0}');
    const brazil = findBy(plan.attributes.regions, "name", "Brazil");
    expect(brazil.pricing.USD.hour).toBe(0.22);
    expect((await api.get("/plans?filter[slug]=c2-small-x86&filter[location]=DAL&filter[in_stock]=true")).body.data).toHaveLength(0);
    expect((await api.get("/plans?filter[slug]=c2-small-x86&filter[location]=MIA2&filter[in_stock]=true")).body.data).toHaveLength(1);
    const gpu = pluck((await api.get("/plans?filter[gpu]=true")).body.data, "slug");
    expect(gpu).toContain("g3-l40s-large");
    expect(gpu).not.toContain("c2-small-x86");
    expect((await api.get("/plans")).body.data).toHaveLength(PLAN_SLUGS.length);
    // The spec gives GET /plans and GET /tags no page params: refused like an unknown filter.
    for (const path of ["/plans?page[size]=2", "/tags?page[number]=1"]) expect((await api.get(path)).body.errors[0]).toMatchObject({ code: "VALIDATION_ERROR", status: "400" });
  });

  it("lists operating systems with ipxe having every feature false", async () => {
    const r = await api.get("/plans/operating_systems");
    const ipxe = findBy(r.body.data, "slug", "ipxe");
    expect(ipxe.type).toBe("operating_system");
    expect(ipxe.attributes.features).toEqual({ raid: false, rescue: false, ssh_keys: false, user_data: false });
    expect(ipxe.attributes.provisionable_on).toContain("c2.small.x86");
    expect(pluck(r.body.data, "slug")).toContain("ubuntu_24_04_x64_lts");
  });
});

describe("projects, SSH keys and tags", () => {
  let emu: Emulator;
  let api: ApiClient;
  beforeAll(async () => {
    emu = await startEmulator({ deployMs: 50 });
    api = apiClient(emu.url);
  });
  afterAll(() => emu.close());

  it("creates projects with a derived slug, refuses duplicates, filters, patches and deletes", async () => {
    const r = await api.post("/projects", doc("projects", { name: "Bailey and Sons", provisioning_type: "on_demand" }));
    expect(r.status).toBe(201);
    expect(r.body.data.id).toMatch(/^proj_[0-9A-Za-z]{13}$/);
    expect(r.body.data.attributes).toMatchObject({ slug: "bailey-and-sons", description: "", provisioning_type: "on_demand", billing_type: "Normal" });
    // A string in every recorded answer (latitude-api.md §19), never null.
    expect(r.body.data.attributes.billing.subscription_id).toMatch(/^sub_[0-9A-Za-z]{24}$/);
    expect((await api.post("/projects", doc("projects", { name: "Bailey and Sons", provisioning_type: "reserved" }))).status).toBe(422);
    const missing = await api.post("/projects", doc("projects", { name: "No Type" }));
    expect(missing.body.errors[0]).toMatchObject({ detail: "must be filled", source: { pointer: "/data/attributes/provisioning_type" } });
    const listed = await api.get("/projects?filter[slug]=BAILEY-AND-SONS");
    expect(pluck(listed.body.data)).toEqual([r.body.data.id]);
    expect(listed.body.data[0].attributes.description).toBeNull();
    const patched = await api.patch(`/projects/bailey-and-sons`, doc("projects", { description: "ours" }, r.body.data.id));
    expect(patched.body.data.attributes.description).toBe("ours");
    const server = await newServer(api, "bailey-and-sons");
    const refused = await api.del(`/projects/${r.body.data.id}`);
    expect(refused.status).toBe(422);
    await api.del(`/servers/${server}`);
    expect((await api.del(`/projects/${r.body.data.id}`)).status).toBe(204);
    expect((await api.get("/projects?filter[slug]=bailey-and-sons")).body.data).toEqual([]);
  });

  it("stores SSH keys with an MD5 fingerprint, filters by scope and deletes with 200 {meta:{}}", async () => {
    const project = await newProject(api, "Keys");
    const key = sshPublicKey();
    const r = await api.post("/ssh_keys", doc("ssh_keys", { name: "deploy", public_key: key.line, project }));
    expect(r.status).toBe(201);
    const expected = createHash("md5").update(key.blob).digest("hex").match(/../g)?.join(":");
    expect(r.body.data.attributes.fingerprint).toBe(expected);
    expect(r.body.data.id).toMatch(/^ssh_/);
    const team = await api.post("/ssh_keys", doc("ssh_keys", { name: "team", public_key: sshPublicKey().line }));
    const tag = (await api.post("/tags", doc("tags", { name: "key-tag" }))).body.data.id;
    const tagged = await api.patch(`/ssh_keys/${team.body.data.id}`, doc("ssh_keys", { tags: [tag] }, team.body.data.id));
    expect(tagged.body.data.attributes.tags).toMatchObject([{ id: tag }]);
    // Recorded: `tags: [""]` answers 200 and clears the set (latitude-api.md §19).
    const cleared = await api.patch(`/ssh_keys/${team.body.data.id}`, doc("ssh_keys", { name: "team", tags: [""] }, team.body.data.id));
    expect([cleared.status, cleared.body.data.attributes.tags]).toEqual([200, []]);
    expect(pluck((await api.get("/ssh_keys?filter[scope]=team")).body.data)).toEqual([team.body.data.id]);
    expect(pluck((await api.get(`/ssh_keys?filter[project]=${project}`)).body.data)).toEqual([r.body.data.id]);
    expect((await api.post("/ssh_keys", doc("ssh_keys", { name: "x", public_key: "ssh-ed25519 not-base64!" }))).status).toBe(422);
    const del = await api.del(`/ssh_keys/${r.body.data.id}`);
    expect(del.status).toBe(200);
    expect(del.body).toEqual({ meta: {} });
    expect((await api.get(`/ssh_keys/${r.body.data.id}`)).body).toEqual(NOT_FOUND);
  });

  it("creates unique tags, lists them without paging, patches and deletes them", async () => {
    const r = await api.post("/tags", doc("tags", { name: "stack-test" }));
    expect(r.status).toBe(201);
    expect(r.body.data.id).toMatch(/^tag_[0-9A-Za-z]{27}$/);
    expect(r.body.data.attributes).toMatchObject({ name: "stack-test", slug: "stack-test", color: "#ffffff" });
    const dup = await api.post("/tags", doc("tags", { name: "stack-test" }));
    expect(dup.status).toBe(422);
    expect(dup.body.errors[0]).toMatchObject({ code: "NAME_ALREADY_TAKEN", source: { pointer: "/data/attributes/name" } });
    const patched = await api.patch(`/tags/${r.body.data.id}`, doc("tags", { color: "#00ff00" }, r.body.data.id));
    expect(patched.body.data.attributes.color).toBe("#00ff00");
    const list = await api.get("/tags");
    expect(pluck(list.body.data)).toContain(r.body.data.id);
    expect((await api.get("/tags?filter[name]=x")).status).toBe(400);
    expect((await api.del(`/tags/${r.body.data.id}`)).status).toBe(204);
    expect(pluck((await api.get("/tags")).body.data)).not.toContain(r.body.data.id);
  });
});

describe("servers", () => {
  let emu: Emulator;
  let api: ApiClient;
  let project: string;
  beforeAll(async () => {
    // Long enough to still see starting_deploy on a loaded 2-core machine.
    emu = await startEmulator({ deployMs: 1500 });
    api = apiClient(emu.url);
    project = await newProject(api, "Servers");
  });
  afterAll(() => emu.close());

  it("validates POST /servers: required fields, catalogue, stock, ipxe and billing", async () => {
    const missing = await api.post("/servers", doc("servers", { project, plan: "c2-small-x86" }));
    expect(missing.status).toBe(422);
    expect(missing.body.errors.map((e: { source: { pointer: string } }) => e.source.pointer)).toEqual(["/data/attributes/site", "/data/attributes/operating_system", "/data/attributes/hostname"]);
    expect(missing.body.errors[0]).toMatchObject({ code: "VALIDATION_ERROR", status: "422", detail: "must be filled" });
    const bad = async (extra: Record<string, unknown>) => (await api.post("/servers", doc("servers", serverAttrs(project, extra)))).body.errors[0];
    expect(await bad({ plan: "c9-huge" })).toMatchObject({ source: { pointer: "/data/attributes/plan" } });
    expect(await bad({ site: "XYZ" })).toMatchObject({ source: { pointer: "/data/attributes/site" } });
    expect((await bad({ site: "DAL" })).detail).toContain("out of stock at DAL");
    expect(await bad({ operating_system: "ipxe" })).toMatchObject({ detail: "must be filled", source: { pointer: "/data/attributes/ipxe" } });
    expect(await bad({ billing: "yearly" })).toMatchObject({ source: { pointer: "/data/attributes/billing" } });
    expect(await bad({ plan: "s2-small-x86", site: "SAO", operating_system: "ipxe", ipxe: "https://x" })).toMatchObject({ source: { pointer: "/data/attributes/operating_system" } });
    expect(emu.servers()).toHaveLength(0);
    // Without billing: hourly on an on-demand project, yearly on a reserved one (as recorded).
    const reserved = await newProject(api, "Reserved", "reserved");
    const yearly = await api.post("/servers", doc("servers", { ...serverAttrs(reserved), billing: undefined }));
    expect(yearly.body.data.attributes.plan.billing).toBe("yearly");
    // hourly and monthly are for on-demand projects only (the spec's create-server billing; §4).
    for (const billing of ["hourly", "monthly"]) {
      const refused = await api.post("/servers", doc("servers", serverAttrs(reserved, { billing })));
      expect(refused.status).toBe(422);
      expect(refused.body.errors[0]).toMatchObject({ code: "VALIDATION_ERROR", status: "422", source: { pointer: "/data/attributes/billing" } });
    }
    await api.del(`/servers/${yearly.body.data.id}`);
  });

  it("answers 201 with the partial server, then GET gives the full shape with status moving to on", async () => {
    const r = await api.post("/servers", doc("servers", serverAttrs(project, { hostname: "Full-1", billing: "monthly" })));
    expect(r.status).toBe(201);
    const d = r.body.data;
    expect(d.id).toMatch(/^sv_[0-9A-Za-z]{13}$/);
    expect(d.attributes.status).toBe("starting_deploy");
    expect(d.attributes.primary_ipv4).toMatch(/^127\.\d+\.\d+\.\d+$/);
    expect(d.attributes.primary_ipv4).not.toBe("127.0.0.1");
    expect(d.attributes.plan).toMatchObject({ slug: "c2-small-x86", name: "c2.small.x86", billing: "monthly" });
    for (const absent of ["created_at", "region", "project", "tags", "operating_system"]) expect(d.attributes).not.toHaveProperty(absent);
    await untilStatus(api, d.id, "on");
    const full = (await api.get(`/servers/${d.id}`)).body.data.attributes;
    expect(full).toMatchObject({ hostname: "Full-1", locked: false, price: 139, region: { site: { slug: "MIA2" } }, project: { id: project, slug: "servers" }, tags: [] });
    expect(full.project).not.toHaveProperty("created_at");
    expect(full.operating_system.slug).toBe("ubuntu_24_04_x64_lts");
    expect(full.primary_ipv6).toMatch(/^2001:db8:/);
    expect(full.created_at).toMatch(/\+00:00$/);
    // Prices are written as decimals even when whole, as the API writes them (§19).
    expect(await (await fetch(`${emu.url}/servers/${d.id}`, { headers: { Authorization: "k" } })).text()).toContain('"price":139.0,');
    // SAO servers carry no primary_ipv6 at all in the recordings (§8.2).
    const sao = await newServer(api, project, { site: "SAO", hostname: "sao-1" });
    expect((await api.get(`/servers/${sao}`)).body.data.attributes).not.toHaveProperty("primary_ipv6");
    const ips = emu.servers().map((s) => s.primaryIpv4);
    expect(new Set(ips).size).toBe(ips.length);
  });

  it("filters and pages the server list", async () => {
    for (const h of ["list-a", "list-b", "list-c"]) await newServer(api, project, { hostname: h });
    const byHost = await api.get("/servers?filter[hostname]=LIST-B&filter[project]=servers");
    expect(pluck(byHost.body.data, "hostname")).toEqual(["list-b"]);
    expect((await api.get("/servers?filter[region]=SAO")).body.data).toHaveLength(1);
    const all = (await api.get("/servers?stats[total]=count")).body;
    const total = all.meta.stats.total.count;
    const pages = [1, 2, 3].map((n) => api.get(`/servers?page[size]=2&page[number]=${n}`));
    const sizes = (await Promise.all(pages)).map((p) => p.body.data.length);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(total);
    expect(sizes[0]).toBe(2);
    expect((await api.get("/servers?filter[status]=starting_deploy")).body.data.length).toBeGreaterThanOrEqual(3);
    await waitFor(async () => ((await api.get("/servers?filter[status]=on")).body.data.length === total ? true : undefined));
    expect((await api.get("/servers?filter[status]=starting_deploy")).body.data).toHaveLength(0);
  });

  it("patches hostname, tags, billing (upgrade only) and project", async () => {
    const id = await newServer(api, project, { hostname: "patch-me" });
    const tag = (await api.post("/tags", doc("tags", { name: "t-patch", description: "d", color: "#123456" }))).body.data.id;
    const other = await newProject(api, "Other Project");
    const r = await api.patch(`/servers/${id}`, doc("servers", { hostname: "patched", tags: [tag], billing: "monthly", project: other }, id));
    expect(r.status).toBe(200);
    expect(r.body.data.attributes).toMatchObject({ hostname: "patched", tags: [{ id: tag, name: "t-patch", description: "d", color: "#123456" }], project: { id: other } });
    expect(r.body.data.attributes.plan.billing).toBe("monthly");
    const down = await api.patch(`/servers/${id}`, doc("servers", { billing: "hourly" }, id));
    expect(down.status).toBe(422);
    expect((await api.patch(`/servers/${id}`, doc("servers", { tags: ["tag_nope"] }, id))).status).toBe(422);
    expect(pluck((await api.get(`/servers?filter[tags]=${tag}`)).body.data)).toEqual([id]);
    expect(emu.servers().find((s) => s.id === id)).toMatchObject({ hostname: "patched", tags: [tag], project: other, billing: "monthly" });
    // A reserved project takes yearly billing only, also through a PATCH (§4, §19).
    const reserved = await newProject(api, "Reserved Target", "reserved");
    const moved = await api.patch(`/servers/${id}`, doc("servers", { project: reserved }, id));
    expect([moved.status, moved.body.errors[0].source.pointer]).toEqual([422, "/data/attributes/billing"]);
    expect((await api.patch(`/servers/${id}`, doc("servers", { project: reserved, billing: "yearly" }, id))).body.data.attributes).toMatchObject({ plan: { billing: "yearly" }, project: { id: reserved } });
    // Recorded: `tags: [""]` answers 200 and clears the set (§19).
    const cleared = await api.patch(`/servers/${id}`, doc("servers", { tags: [""] }, id));
    expect([cleared.status, cleared.body.data.attributes.tags]).toEqual([200, []]);
  });

  it("locks (423 with the recorded body), power actions, rescue mode", async () => {
    const id = await newServer(api, project, { hostname: "lockme" });
    expect((await api.post(`/servers/${id}/actions`, doc("actions", { action: "power_off" }))).body.errors[0].code).toBe("SERVER_BEING_PROVISIONED");
    await untilStatus(api, id, "on");
    expect((await api.post(`/servers/${id}/lock`)).body.data.attributes.locked).toBe(true);
    for (const r of [
      await api.patch(`/servers/${id}`, doc("servers", { hostname: "x" }, id)),
      await api.del(`/servers/${id}`),
      await api.post(`/servers/${id}/reinstall`, doc("reinstalls", {})),
    ]) {
      expect(r.status).toBe(423);
      expect(r.body).toEqual(LOCKED);
    }
    expect((await api.post(`/servers/${id}/unlock`)).body.data.attributes.locked).toBe(false);
    const off = await api.post(`/servers/${id}/actions`, doc("actions", { action: "power_off" }));
    expect(off.status).toBe(201);
    expect(off.body.data).toMatchObject({ id: expect.stringMatching(/^act_/), type: "actions" });
    expect(await statusOf(api, id)).toBe("off");
    await api.post(`/servers/${id}/actions`, doc("actions", { action: "power_on" }));
    const rescue = await api.post(`/servers/${id}/rescue_mode`);
    expect([rescue.status, rescue.body]).toEqual([201, { meta: {} }]);
    expect(await statusOf(api, id)).toBe("rescue_mode");
    expect((await api.post(`/servers/${id}/reinstall`, doc("reinstalls", {}))).body.errors[0].code).toBe("SERVER_IN_RESCUE_MODE");
    const exit = await api.post(`/servers/${id}/exit_rescue_mode`);
    expect([exit.status, exit.body]).toEqual([200, { meta: {} }]);
    expect(await statusOf(api, id)).toBe("on");
  });

  it("deletes with 204: GET and a second DELETE answer 404 at once, and the list drops it", async () => {
    const id = await newServer(api, project, { hostname: "doomed" });
    const del = await api.del(`/servers/${id}`);
    expect(del.status).toBe(204);
    expect(del.body).toBeUndefined();
    expect((await api.get(`/servers/${id}`)).body).toEqual(NOT_FOUND);
    expect((await api.del(`/servers/${id}`)).status).toBe(404);
    expect((await api.get("/servers?filter[hostname]=doomed")).body.data).toEqual([]);
  });
});
