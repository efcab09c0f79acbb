/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment --
   API responses are untyped JSON; these tests exist to assert their shape. */
// Answer shapes the real API is known to vary in, each chosen by a knob: the `interfaces` attribute
// (per server or per plan, the same in list and single answers), the `project` of SSH keys, and a
// deleted server that lists still show.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type Emulator } from "../../emulator";
import { apiClient, pluck, sshPublicKey, waitFor, type ApiClient } from "./testing";

const doc = (type: string, attributes: Record<string, unknown>) => ({ data: { type, attributes } });

describe("server interfaces", () => {
  let emu: Emulator;
  let api: ApiClient;
  let project: string;
  beforeAll(async () => {
    emu = await startEmulator({ deployMs: 50 });
    api = apiClient(emu.url);
    project = (await api.post("/projects", doc("projects", { name: "Cards", provisioning_type: "on_demand" }))).body.data.id;
  });
  afterAll(() => emu.close());

  async function serverAttributes(hostname: string, plan = "c2-small-x86"): Promise<Record<string, unknown>> {
    const attrs = { project, plan, site: "MIA2", operating_system: "ubuntu_24_04_x64_lts", hostname, billing: "hourly" };
    const created = await api.post("/servers", doc("servers", attrs));
    expect(created.status).toBe(201);
    const one = (await api.get(`/servers/${created.body.data.id}`)).body.data.attributes;
    const listed = (await api.get(`/servers?filter[hostname]=${hostname}`)).body.data[0].attributes;
    expect(listed.interfaces).toStrictEqual(one.interfaces);
    return one as Record<string, unknown>;
  }

  it("has no interfaces attribute by default, as every recorded real answer", async () => {
    expect("interfaces" in (await serverAttributes("cards-default"))).toBe(false);
  });

  it("serves [] and the spec's example, chosen per plan or per server", async () => {
    emu.knobs.interfaceShape = ({ hostname, plan }) => (plan === "c2-medium-x86" ? "empty" : hostname.endsWith("-spec") ? "specExample" : "absent");
    try {
      expect((await serverAttributes("cards-medium", "c2-medium-x86")).interfaces).toStrictEqual([]);
      const spec = (await serverAttributes("cards-spec")).interfaces as Array<Record<string, unknown>>;
      expect(spec.map((nic) => [nic.role, nic.name, nic.description])).toStrictEqual([
        ["ipmi", "IPMI", "IPMI Interface"],
        ["internal", "PXE", "PXE Interface"],
        ["unknown", "PO1", "LAG interface (no associated MAC record)"],
      ]);
      expect(spec[1]!.mac_address).toMatch(/^0c:c4:7a(:[0-9a-f]{2}){3}$/);
      expect(spec[2]!.mac_address).toBeNull();
      expect("interfaces" in (await serverAttributes("cards-other"))).toBe(false);
    } finally {
      emu.knobs.interfaceShape = "absent";
    }
  });
});

describe("SSH key project (knob sshKeyProject)", () => {
  let emu: Emulator;
  let api: ApiClient;
  let project: string;
  beforeAll(async () => {
    emu = await startEmulator();
    api = apiClient(emu.url);
    project = (await api.post("/projects", doc("projects", { name: "Keyring", provisioning_type: "on_demand" }))).body.data.id;
  });
  afterAll(() => emu.close());

  it("answers without project by default, as every recorded answer, and filters by project all the same", async () => {
    const bound = await api.post("/ssh_keys", doc("ssh_keys", { name: "bound", public_key: sshPublicKey().line, project }));
    const team = await api.post("/ssh_keys", doc("ssh_keys", { name: "team", public_key: sshPublicKey().line }));
    for (const r of [bound, team, await api.get(`/ssh_keys/${bound.body.data.id}`)]) expect("project" in r.body.data.attributes).toBe(false);
    expect(pluck((await api.get(`/ssh_keys?filter[project]=${project}`)).body.data)).toEqual([bound.body.data.id]);
    expect(pluck((await api.get("/ssh_keys?filter[project]=keyring")).body.data)).toEqual([bound.body.data.id]);
    expect(pluck((await api.get("/ssh_keys?filter[scope]=team")).body.data)).toEqual([team.body.data.id]);
  });

  it("embeds the project (and {} for a team key) when the knob says embedded", async () => {
    emu.knobs.sshKeyProject = "embedded";
    try {
      const bound = await api.post("/ssh_keys", doc("ssh_keys", { name: "bound-2", public_key: sshPublicKey().line, project: "keyring" }));
      expect(bound.body.data.attributes.project).toMatchObject({ id: project, slug: "keyring" });
      const listed = (await api.get(`/ssh_keys?filter[project]=${project}`)).body.data as Array<{ attributes: { project: { id: string } } }>;
      expect(listed.map((k) => k.attributes.project.id)).toEqual([project, project]);
      expect((await api.get("/ssh_keys?filter[scope]=team")).body.data[0].attributes.project).toEqual({});
    } finally {
      emu.knobs.sshKeyProject = "absent";
    }
  });
});

describe("a deleted server in lists (knob deletedServerListedMs)", () => {
  let emu: Emulator;
  let api: ApiClient;
  let project: string;
  beforeAll(async () => {
    emu = await startEmulator({ deployMs: 50 });
    api = apiClient(emu.url);
    project = (await api.post("/projects", doc("projects", { name: "Ghosts", provisioning_type: "on_demand" }))).body.data.id;
  });
  afterAll(() => emu.close());

  async function onServer(hostname: string): Promise<string> {
    const created = await api.post("/servers", doc("servers", { project, plan: "c2-small-x86", site: "MIA2", operating_system: "ubuntu_24_04_x64_lts", hostname, billing: "hourly" }));
    const id = created.body.data.id as string;
    await waitFor(async () => ((await api.get(`/servers/${id}`)).body.data.attributes.status === "on" ? true : undefined));
    return id;
  }

  it("drops the server from lists at once by default", async () => {
    const id = await onServer("gone-at-once");
    expect((await api.del(`/servers/${id}`)).status).toBe(204);
    expect((await api.get("/servers?filter[hostname]=gone-at-once")).body.data).toEqual([]);
  });

  it("answers 404 at once but keeps listing it, with its last status, for that long", async () => {
    emu.knobs.deletedServerListedMs = 400;
    const id = await onServer("lingering");
    expect((await api.del(`/servers/${id}`)).status).toBe(204);
    const deletedAt = Date.now();
    expect((await api.get(`/servers/${id}`)).status).toBe(404);
    expect((await api.del(`/servers/${id}`)).status).toBe(404);
    expect((await api.patch(`/servers/${id}`, { data: { id, type: "servers", attributes: { hostname: "x" } } })).status).toBe(404);
    const listed = (await api.get(`/servers?filter[project]=${project}&filter[hostname]=lingering`)).body.data as Array<{ id: string; attributes: { status: string } }>;
    // No `deleting` status is made up: none is recorded (latitude-api.md §8.4).
    expect(listed.map((s) => [s.id, s.attributes.status])).toEqual([[id, "on"]]);
    expect(emu.servers().map((s) => s.id)).not.toContain(id);
    await waitFor(async () => ((await api.get("/servers?filter[hostname]=lingering")).body.data.length === 0 ? true : undefined), 3000, 50);
    expect(Date.now() - deletedAt).toBeGreaterThanOrEqual(350);
    emu.knobs.deletedServerListedMs = 0;
  });
});
