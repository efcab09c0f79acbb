/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-return --
   API responses are untyped JSON; these tests exist to assert their shape. */
// Firewalls over real HTTP: the recorded shapes (seeded default rule, no meta), rule validation as
// the spec describes from/to/protocol/port, assignments, and what deletions take with them.
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { startEmulator, type Emulator } from "../../emulator";
import { validEndpoint, validPort } from "../../emulator/firewalls";
import { apiClient, type ApiClient, type ApiResponse } from "./testing";

type Json = ApiResponse["body"];

const doc = (type: string, attributes: Record<string, unknown>, id?: string) => ({ data: { type, ...(id ? { id } : {}), attributes } });
const rule = (over: Record<string, unknown> = {}) => ({ from: "ANY", to: "ANY", protocol: "TCP", port: "443", ...over });
const DEFAULT_RULE = { from: "ANY", to: "ANY", port: "22", protocol: "TCP", default: true };

let emu: Emulator;
let api: ApiClient;
let projectCount = 0;

async function newProject(): Promise<{ id: string; slug: string }> {
  const r = await api.post("/projects", doc("projects", { name: `FW ${++projectCount}`, provisioning_type: "on_demand" }));
  expect(r.status).toBe(201);
  return { id: r.body.data.id, slug: r.body.data.attributes.slug };
}

async function newServer(project: string, hostname: string): Promise<string> {
  const attrs = { project, plan: "c2-small-x86", site: "MIA2", operating_system: "ubuntu_24_04_x64_lts", hostname, billing: "hourly" };
  const r = await api.post("/servers", doc("servers", attrs));
  expect(r.status).toBe(201);
  return r.body.data.id;
}

async function newFirewall(project: string, name = "fw", rules: unknown[] = []): Promise<string> {
  const r = await api.post("/firewalls", doc("firewalls", { name, project, rules }));
  expect(r.status).toBe(201);
  return r.body.data.id;
}

const assign = (firewall: string, server: string) => api.post(`/firewalls/${firewall}/assignments`, doc("firewall_assignments", { server_id: server }));

beforeAll(async () => {
  emu = await startEmulator({ deployMs: 50 });
  api = apiClient(emu.url);
});
afterAll(() => emu.close());

describe("firewalls", () => {
  it("creates with the seeded SSH rule first and the client's rules in order, reads, lists by project, updates keeping the seeded rule, deletes", async () => {
    const project = await newProject();
    const created = await api.post(
      "/firewalls",
      doc("firewalls", {
        name: "web",
        project: project.slug,
        // `default` as the recorded Terraform client sends it: ignored.
        rules: [rule({ from: "0.0.0.0", to: "0.0.0.0", port: "443", default: false }), rule({ protocol: "UDP", port: "3000-4000", description: "app" })],
      }),
    );
    expect(created.status).toBe(201);
    const id: string = created.body.data.id;
    expect(id).toMatch(/^fw_/);
    const rules = [
      DEFAULT_RULE,
      { from: "0.0.0.0", to: "0.0.0.0", port: "443", protocol: "TCP", default: false },
      { from: "ANY", to: "ANY", port: "3000-4000", protocol: "UDP", default: false, description: "app" },
    ];
    // As recorded: no meta.
    expect(created.body).toEqual({ data: { id, type: "firewalls", attributes: { name: "web", project: { id: project.id, name: expect.any(String), slug: project.slug }, rules } } });
    expect((await api.get(`/firewalls/${id}`)).body).toEqual(created.body);

    const other = await newProject();
    await newFirewall(other.id, "elsewhere");
    for (const ref of [project.id, project.slug]) {
      const listed = await api.get(`/firewalls?filter[project]=${ref}`);
      expect(listed.body).toEqual({ data: [created.body.data] });
    }
    expect((await api.get("/firewalls?filter[name]=web")).status).toBe(400);

    const updated = await api.patch(`/firewalls/${id}`, doc("firewalls", { name: "web-2", rules: [rule({ from: "10.0.0.0/8", port: "80" })] }, id));
    expect(updated.status).toBe(200);
    expect(updated.body.data.attributes).toMatchObject({ name: "web-2", rules: [DEFAULT_RULE, { from: "10.0.0.0/8", to: "ANY", port: "80", protocol: "TCP", default: false }] });
    const renamed = await api.patch(`/firewalls/${id}`, doc("firewalls", { name: "web-3" }, id));
    expect(renamed.body.data.attributes.rules).toHaveLength(2);
    const cleared = await api.patch(`/firewalls/${id}`, doc("firewalls", { rules: [] }, id));
    expect(cleared.body.data.attributes).toMatchObject({ name: "web-3", rules: [DEFAULT_RULE] });

    expect((await api.del(`/firewalls/${id}`)).status).toBe(204);
    expect((await api.get(`/firewalls/${id}`)).body.errors[0]).toMatchObject({ code: "not_found", status: "404" });
    expect((await api.del(`/firewalls/${id}`)).status).toBe(404);
  });

  it("requires name and an existing project", async () => {
    const project = await newProject();
    const missing = await api.post("/firewalls", doc("firewalls", { project: project.id }));
    expect(missing.status).toBe(422);
    expect(missing.body.errors[0]).toMatchObject({ code: "VALIDATION_ERROR", source: { pointer: "/data/attributes/name" } });
    const unknown = await api.post("/firewalls", doc("firewalls", { name: "x", project: "no-such-project" }));
    expect(unknown.body.errors[0]).toMatchObject({ code: "VALIDATION_ERROR", source: { pointer: "/data/attributes/project" } });
    expect((await api.patch(`/firewalls/${await newFirewall(project.id)}`, doc("firewalls", { name: " " }))).status).toBe(422);
  });
});

describe("rule validation", () => {
  it("takes an address, a CIDR or ANY for from/to, TCP or UDP, and a port or port range", () => {
    for (const ok of ["ANY", "192.168.1.1", "0.0.0.0", "192.168.1.0/24", "10.0.0.0/8", "1.2.3.4/32", "0.0.0.0/0", "2001:db8::1", "2001:db8::/32"]) expect(validEndpoint(ok), ok).toBe(true);
    for (const bad of ["any", "", "300.1.1.1", "01.2.3.4", "10.0.0.0/33", "10.0.0.1/", "10.0.0.0/08", "10.0.0.0/8/8", "2001:db8::/129", "host.example", "10.0.0.1-10.0.0.9"]) expect(validEndpoint(bad), bad).toBe(false);
    for (const ok of ["80", "1", "65535", "80-443", "3000-4000", "22-22"]) expect(validPort(ok), ok).toBe(true);
    for (const bad of ["0", "65536", "443-80", "80-", "-80", "080", "http", "80,443", " 80"]) expect(validPort(bad), bad).toBe(false);
  });

  it("answers 422 pointing at the rule's field, and changes nothing", async () => {
    const project = await newProject();
    const id = await newFirewall(project.id, "strict", [rule()]);
    const cases: Array<[Record<string, unknown>, string]> = [
      [rule({ from: "any" }), "from"],
      [rule({ to: "10.0.0.0/33" }), "to"],
      [rule({ from: "300.1.1.1" }), "from"],
      [rule({ protocol: "tcp" }), "protocol"],
      [rule({ protocol: "ICMP" }), "protocol"],
      [rule({ port: "0" }), "port"],
      [rule({ port: "443-80" }), "port"],
      [rule({ port: 80 }), "port"],
      [rule({ to: undefined }), "to"],
      [rule({ description: 5 }), "description"],
    ];
    for (const [bad, field] of cases) {
      for (const r of [
        await api.post("/firewalls", doc("firewalls", { name: "bad", project: project.id, rules: [rule(), bad] })),
        await api.patch(`/firewalls/${id}`, doc("firewalls", { name: "renamed", rules: [rule(), bad] }, id)),
      ]) {
        expect(r.status, JSON.stringify(bad)).toBe(422);
        expect(r.body.errors[0]).toMatchObject({ code: "VALIDATION_ERROR", source: { pointer: `/data/attributes/rules/1/${field}` } });
      }
    }
    expect((await api.post("/firewalls", doc("firewalls", { name: "bad", project: project.id, rules: "ANY" }))).status).toBe(422);
    expect((await api.post("/firewalls", doc("firewalls", { name: "bad", project: project.id, rules: ["ANY"] }))).status).toBe(422);
    expect(emu.firewalls().filter((f) => f.project === project.id).map((f) => [f.name, f.rules.length])).toEqual([["strict", 2]]);
  });
});

describe("assignments", () => {
  it("assigns (recorded 201 shape), lists per firewall and team-wide, allows one server in two firewalls, removes at once", async () => {
    const project = await newProject();
    const server = await newServer(project.id, "fw-node");
    const web = await newFirewall(project.id, "web");
    const db = await newFirewall(project.id, "db");
    const ip = emu.servers().find((s) => s.id === server)?.primaryIpv4;

    const created = await assign(web, server);
    expect(created.status).toBe(201);
    const id: string = created.body.data.id;
    expect(created.body).toEqual({ data: { id, type: "firewall_assignments", attributes: { server: { id: server, hostname: "fw-node", primary_ipv4: ip }, firewall_id: web } } });
    expect(id).toMatch(/^fwasg_/);
    expect((await api.get(`/firewalls/${web}/assignments`)).body).toEqual({ data: [created.body.data] });
    const second = await assign(db, server);
    expect(second.status).toBe(201);

    const all = await api.get(`/firewalls/assignments?filter[server]=${server}`);
    expect(all.body.data.map((a: Json) => a.attributes.firewall)).toEqual([
      { id: web, name: "web" },
      { id: db, name: "db" },
    ]);
    expect(all.body.data[0].attributes.server).toEqual({ id: server, hostname: "fw-node", primary_ipv4: ip });
    expect((await api.get("/firewalls/assignments?filter[server]=sv_none")).body.data).toEqual([]);
    expect((await api.get(`/firewalls/${web}/assignments?filter[server]=${server}`)).status).toBe(400);

    // Removing through the other firewall's path is a 404; through its own, 204 and gone at once.
    expect((await api.del(`/firewalls/${db}/assignments/${id}`)).status).toBe(404);
    expect((await api.del(`/firewalls/${web}/assignments/${id}`)).status).toBe(204);
    expect((await api.get(`/firewalls/${web}/assignments`)).body).toEqual({ data: [] });
    expect((await api.del(`/firewalls/${web}/assignments/${id}`)).status).toBe(404);
    expect(emu.firewallAssignments().filter((a) => a.server === server).map((a) => a.firewall)).toEqual([db]);
  });

  it("refuses the same pair twice, a server of another project, an unknown server or firewall", async () => {
    const project = await newProject();
    const other = await newProject();
    const server = await newServer(project.id, "fw-dup");
    const foreign = await newServer(other.id, "fw-foreign");
    const fw = await newFirewall(project.id);
    expect((await assign(fw, server)).status).toBe(201);
    for (const r of [await assign(fw, server), await assign(fw, foreign), await assign(fw, "sv_doesnotexist1"), await api.post(`/firewalls/${fw}/assignments`, doc("firewall_assignments", {}))]) {
      expect(r.status).toBe(422);
      expect(r.body.errors[0]).toMatchObject({ code: "VALIDATION_ERROR", source: { pointer: "/data/attributes/server_id" } });
    }
    expect((await assign("fw_doesnotexist1", server)).status).toBe(404);
    expect((await api.get("/firewalls/fw_doesnotexist1/assignments")).status).toBe(404);
  });

  it("goes with its server, with its firewall, and firewalls go with their project", async () => {
    const project = await newProject();
    const a = await newServer(project.id, "fw-gone-a");
    const b = await newServer(project.id, "fw-gone-b");
    const keep = await newFirewall(project.id, "keep");
    const drop = await newFirewall(project.id, "drop");
    for (const [fw, s] of [[keep, a], [keep, b], [drop, b]] as const) expect((await assign(fw, s)).status).toBe(201);

    expect((await api.del(`/servers/${a}`)).status).toBe(204);
    expect((await api.get(`/firewalls/${keep}/assignments`)).body.data.map((x: Json) => x.attributes.server.id)).toEqual([b]);
    expect((await api.get(`/firewalls/assignments?filter[server]=${a}`)).body.data).toEqual([]);

    expect((await api.del(`/firewalls/${drop}`)).status).toBe(204);
    expect((await api.get(`/firewalls/assignments?filter[server]=${b}`)).body.data.map((x: Json) => x.attributes.firewall.id)).toEqual([keep]);

    expect((await api.del(`/servers/${b}`)).status).toBe(204);
    expect(emu.firewallAssignments().filter((x) => x.firewall === keep || x.firewall === drop)).toEqual([]);
    expect((await api.del(`/projects/${project.id}`)).status).toBe(204);
    expect((await api.get(`/firewalls/${keep}`)).status).toBe(404);
    expect(emu.firewalls().some((f) => f.project === project.id)).toBe(false);
  });
});
