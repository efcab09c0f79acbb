/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-return, @typescript-eslint/no-unsafe-argument --
   API responses are untyped JSON; these tests exist to assert their shape. */
// Asynchronous behaviour of the emulator: deploy outcomes, the Talos port, reinstall, VLAN assignments.
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { startEmulator, type Emulator } from "../../emulator";
import { apiClient, canConnect, freePort, pluck, waitFor, type ApiClient } from "./testing";

const doc = (type: string, attributes: Record<string, unknown>, id?: string) => ({ data: { type, ...(id ? { id } : {}), attributes } });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function setup(opts: Parameters<typeof startEmulator>[0]): Promise<{ emu: Emulator; api: ApiClient; project: string }> {
  const emu = await startEmulator(opts);
  const api = apiClient(emu.url);
  const r = await api.post("/projects", doc("projects", { name: "Lifecycle", provisioning_type: "on_demand" }));
  return { emu, api, project: r.body.data.id };
}

async function create(api: ApiClient, project: string, hostname: string, os = "ipxe"): Promise<{ id: string; ip: string }> {
  const attrs = { project, plan: "c2-small-x86", site: "MIA2", operating_system: os, hostname, billing: "hourly", ...(os === "ipxe" ? { ipxe: "https://pxe.factory.talos.dev/pxe/x/v1.9.0/metal-amd64" } : {}) };
  const r = await api.post("/servers", doc("servers", attrs));
  expect(r.status).toBe(201);
  return { id: r.body.data.id, ip: r.body.data.attributes.primary_ipv4 };
}

const statusOf = async (api: ApiClient, id: string): Promise<string> => (await api.get(`/servers/${id}`)).body.data.attributes.status;

describe("deploy outcomes", () => {
  let emu: Emulator;
  let api: ApiClient;
  let project: string;
  let talosPort: number;
  beforeAll(async () => {
    talosPort = await freePort();
    ({ emu, api, project } = await setup({ deployMs: 100, talosPort }));
    emu.knobs.failDeploy = (h) => h.startsWith("fail-");
    emu.knobs.stuckDeploy = (h) => h.startsWith("stuck-");
  });
  afterAll(() => emu.close());

  it("goes starting_deploy → deploying → on over deployMs", async () => {
    const { id } = await create(api, project, "ok-1", "ubuntu_24_04_x64_lts");
    const seen = new Set<string>();
    await waitFor(async () => {
      const s = await statusOf(api, id);
      seen.add(s);
      return s === "on" ? true : undefined;
    }, 2000, 5);
    expect([...seen]).toEqual(["starting_deploy", "deploying", "on"]);
  });

  it("ends in failed_deployment when failDeploy matches, and never opens the Talos port", async () => {
    const { id, ip } = await create(api, project, "fail-1");
    await waitFor(async () => ((await statusOf(api, id)) === "failed_deployment" ? true : undefined));
    expect(await canConnect(ip, talosPort)).toBe(false);
  });

  it("stays deploying when stuckDeploy matches, with no Talos port", async () => {
    const { id, ip } = await create(api, project, "stuck-1");
    await sleep(300);
    expect(await statusOf(api, id)).toBe("deploying");
    expect(await canConnect(ip, talosPort)).toBe(false);
    expect(emu.servers().find((s) => s.id === id)?.talosListening).toBe(false);
  });

  it("keeps an iPXE server at deploying while Talos answers when ipxeStaysDeploying is on", async () => {
    emu.knobs.ipxeStaysDeploying = true;
    try {
      const { id, ip } = await create(api, project, "ipxe-slow");
      await waitFor(async () => ((await canConnect(ip, talosPort)) ? true : undefined));
      expect(await statusOf(api, id)).toBe("deploying");
    } finally {
      emu.knobs.ipxeStaysDeploying = false;
    }
  });

  it("applies out-of-band status changes and deletions to the API and the Talos port", async () => {
    const { id, ip } = await create(api, project, "oob-1");
    await waitFor(async () => ((await statusOf(api, id)) === "on" ? true : undefined));
    emu.setServerStatus(id, "off");
    expect(await statusOf(api, id)).toBe("off");
    expect(await canConnect(ip, talosPort)).toBe(false);
    emu.setServerStatus(id, "on");
    expect(await waitFor(async () => ((await canConnect(ip, talosPort)) ? true : undefined))).toBe(true);
    emu.deleteServerOutOfBand(id);
    expect((await api.get(`/servers/${id}`)).status).toBe(404);
    expect(await waitFor(async () => ((await canConnect(ip, talosPort)) ? undefined : true))).toBe(true);
  });
});

describe("Talos port and reinstall", () => {
  let emu: Emulator;
  let api: ApiClient;
  let project: string;
  let talosPort: number;
  beforeAll(async () => {
    talosPort = await freePort();
    // Long enough that the old system outlives the first stale poll comfortably.
    ({ emu, api, project } = await setup({ deployMs: 600, talosPort, knobs: { reinstallStaleReads: 2 } }));
  });
  afterAll(() => emu.close());

  it("opens the Talos port on primary_ipv4 at boot, moves it through a reinstall, closes it on delete", async () => {
    const { id, ip } = await create(api, project, "talos-1");
    expect(emu.talosPort).toBe(talosPort);
    expect(await canConnect(ip, talosPort)).toBe(false);
    const early = await api.post(`/servers/${id}/reinstall`, doc("reinstalls", { operating_system: "ipxe" }));
    expect(early.status).toBe(422);
    expect(early.body.errors[0].code).toBe("SERVER_BEING_PROVISIONED");
    await waitFor(async () => ((await statusOf(api, id)) === "on" ? true : undefined));
    expect(await canConnect(ip, talosPort)).toBe(true);
    expect(await canConnect("127.0.0.1", talosPort)).toBe(false);

    // Attributes are optional, the body is not (the spec requires `data`).
    expect((await api.post(`/servers/${id}/reinstall`)).body.errors[0]).toMatchObject({ code: "VALIDATION_ERROR", status: "400", source: { pointer: "/data" } });
    const re = await api.post(`/servers/${id}/reinstall`, doc("reinstalls", { operating_system: "ipxe", ipxe: "https://example.invalid/boot.ipxe" }));
    expect([re.status, re.body]).toEqual([201, {}]);
    // The old system is still there until the first (stale) poll.
    expect(await canConnect(ip, talosPort)).toBe(true);
    expect(await statusOf(api, id)).toBe("on");
    expect(await canConnect(ip, talosPort)).toBe(false);
    expect(await statusOf(api, id)).toBe("on");
    expect(["disk_erasing", "deploying"]).toContain(await statusOf(api, id));
    await waitFor(async () => ((await statusOf(api, id)) === "on" ? true : undefined));
    expect(await canConnect(ip, talosPort)).toBe(true);

    expect((await api.del(`/servers/${id}`)).status).toBe(204);
    expect(await canConnect(ip, talosPort)).toBe(false);
  });

  it("never opens a Talos port for a non-iPXE server", async () => {
    const { id, ip } = await create(api, project, "ubuntu-1", "ubuntu_24_04_x64_lts");
    await waitFor(async () => ((await statusOf(api, id)) === "on" ? true : undefined));
    expect(await canConnect(ip, talosPort)).toBe(false);
  });
});

describe("VLANs and assignments", () => {
  let emu: Emulator;
  let api: ApiClient;
  let project: string;
  beforeAll(async () => {
    ({ emu, api, project } = await setup({ deployMs: 50, knobs: { assignmentConnectMs: 100, assignmentRemovalMs: 150 } }));
  });
  afterAll(() => emu.close());

  it("creates a VLAN (create vs read shapes), assigns asynchronously, refuses delete with 406 until drained", async () => {
    const created = await api.post("/virtual_networks", doc("virtual_network", { description: "cluster", site: "MIA2", project }));
    expect(created.status).toBe(201);
    const vlan = created.body.data;
    expect(vlan.id).toMatch(/^vlan_[0-9A-Za-z]{13}$/);
    expect(vlan.type).toBe("virtual_networks");
    expect(vlan.attributes.vid).toBeGreaterThanOrEqual(2000);
    expect(vlan.attributes.vid).toBeLessThanOrEqual(2099);
    expect(vlan.attributes).toMatchObject({ name: `MIA2-${vlan.attributes.vid}`, site: "MIA2", description: "cluster" });
    const read = (await api.get(`/virtual_networks/${vlan.id}`)).body.data.attributes;
    // The recorded read shape: no name/site, and no project or created_at (latitude-api.md §19).
    expect(Object.keys(read).sort()).toEqual(["assignments_count", "description", "region", "tags", "vid"]);
    expect(read).toMatchObject({ vid: vlan.attributes.vid, region: { site: { slug: "MIA2" } }, assignments_count: 0 });
    // Filtering by project still works although answers do not name it.
    expect((await api.get(`/virtual_networks?filter[location]=mia2&filter[project]=lifecycle`)).body.data).toHaveLength(1);
    expect((await api.get(`/virtual_networks?filter[project]=someone-else`)).body.data).toHaveLength(0);
    const noDescription = await api.post("/virtual_networks", doc("virtual_network", { site: "MIA2", project }));
    expect(noDescription.status).toBe(422);
    expect(noDescription.body.errors[0]).toMatchObject({ detail: "must be filled", source: { pointer: "/data/attributes/description" } });

    const near = await create(api, project, "near", "ubuntu_24_04_x64_lts");
    const sao = await api.post("/virtual_networks", doc("virtual_network", { description: "far", site: "SAO", project }));
    const mismatch = await api.post("/virtual_networks/assignments", doc("virtual_network_assignment", { server_id: near.id, virtual_network_id: sao.body.data.id }));
    expect(mismatch.status).toBe(422);

    const asg = await api.post("/virtual_networks/assignments", doc("virtual_network_assignment", { server_id: near.id, virtual_network_id: vlan.id }));
    expect(asg.status).toBe(201);
    expect(asg.body.data.id).toMatch(/^vnasg_/);
    expect(asg.body.data.attributes).toMatchObject({ status: "connecting", server_id: near.id, virtual_network_id: vlan.id, vid: vlan.attributes.vid });
    const listed = async () => (await api.get(`/virtual_networks/assignments?filter[server]=${near.id}&filter[virtual_network_id]=${vlan.id}`)).body.data;
    await waitFor(async () => ((await listed())[0]?.attributes.status === "connected" ? true : undefined));
    expect((await listed())[0].attributes.server).toMatchObject({ id: near.id, hostname: "near", locked: false });
    expect((await api.get(`/virtual_networks/${vlan.id}`)).body.data.attributes.assignments_count).toBe(1);

    const refused = await api.del(`/virtual_networks/${vlan.id}`);
    expect(refused.status).toBe(406);
    expect(refused.body.errors[0]).toMatchObject({ code: "VIRTUAL_NETWORK_DELETION_ERROR", status: "406", title: "Virtual Network Deletion Restriction" });
    expect((await api.del(`/virtual_networks/assignments/${asg.body.data.id}`)).status).toBe(204);
    expect(await listed()).toHaveLength(1);
    expect((await api.del(`/virtual_networks/${vlan.id}`)).status).toBe(406);
    await waitFor(async () => ((await listed()).length === 0 ? true : undefined));
    expect((await api.del(`/virtual_networks/${vlan.id}`)).status).toBe(204);
    expect((await api.get(`/virtual_networks/${vlan.id}`)).status).toBe(404);
  });

  it("patches VLAN description and tags, answering in the create shape; tags [\"\"] clears them", async () => {
    const vlan = (await api.post("/virtual_networks", doc("virtual_network", { description: "ash", site: "ASH", project }))).body.data;
    const tag = (await api.post("/tags", doc("tags", { name: "vlan-tag" }))).body.data.id;
    const r = await api.patch(`/virtual_networks/${vlan.id}`, doc("virtual_networks", { description: "renamed", tags: [tag] }, vlan.id));
    expect(r.status).toBe(200);
    // As recorded (latitude-api.md §11, §19): the PATCH answer has name and site, not region.
    expect(r.body.data.attributes).toEqual({ tags: [{ id: tag, name: "vlan-tag", description: null, color: "#ffffff" }], vid: vlan.attributes.vid, name: `ASH-${vlan.attributes.vid}`, description: "renamed", site: "ASH" });
    expect(pluck((await api.get(`/virtual_networks?filter[tags]=${tag}`)).body.data)).toEqual([vlan.id]);
    const cleared = await api.patch(`/virtual_networks/${vlan.id}`, doc("virtual_networks", { description: "renamed", tags: [""] }, vlan.id));
    expect([cleared.status, cleared.body.data.attributes.tags]).toEqual([200, []]);
  });
});
