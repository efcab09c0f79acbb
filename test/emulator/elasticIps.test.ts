/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-return --
   API responses are untyped JSON; these tests exist to assert their shape. */
// Elastic IPs over real HTTP: asynchronous provisioning with `id: null`, finding an IP again after
// a lost answer, moves, releases, the spec's 422 codes, and what server and project deletion do.
import { describe, it, expect, beforeAll, afterAll, beforeEach } from "vitest";
import { ELASTIC_IP_UNSUPPORTED_SITES, startEmulator, type Emulator } from "../../emulator";
import { defaultNetworkSecurityKnobs } from "../../emulator/networkSecurityKnobs";
import { TEAM } from "../../emulator/store";
import { apiClient, waitFor, type ApiClient, type ApiResponse } from "./testing";

type Json = ApiResponse["body"];

const doc = (type: string, attributes: Record<string, unknown>) => ({ data: { type, attributes } });
const eipDoc = (project_id: string, server_id: string) => doc("elastic_ips", { project_id, server_id });
const moveDoc = (server_id: string) => doc("elastic_ips", { server_id });

let emu: Emulator;
let api: ApiClient;
let projectCount = 0;

async function newProject(): Promise<{ id: string; slug: string }> {
  const r = await api.post("/projects", doc("projects", { name: `EIP ${++projectCount}`, provisioning_type: "on_demand" }));
  expect(r.status).toBe(201);
  return { id: r.body.data.id, slug: r.body.data.attributes.slug };
}

async function newServer(project: string, site = "MIA2", hostname = "eip-node"): Promise<string> {
  const attrs = { project, plan: "c2-small-x86", site, operating_system: "ubuntu_24_04_x64_lts", hostname, billing: "hourly" };
  const r = await api.post("/servers", doc("servers", attrs));
  expect(r.status).toBe(201);
  return r.body.data.id;
}

const listed = async (query: string): Promise<Json[]> => (await api.get(`/elastic_ips?${query}`)).body.data;

/** Creates an elastic IP and waits until it is active; returns its (now published) id. */
async function activeIp(project: string, server: string): Promise<{ id: string; address: string }> {
  const r = await api.post("/elastic_ips", eipDoc(project, server));
  expect(r.status).toBe(202);
  const address: string = r.body.data.attributes.address;
  const id = await waitFor(async () => (await listed(`filter[project]=${project}`)).find((e) => e.attributes.address === address && e.attributes.status === "active")?.id);
  return { id, address };
}

const errorOf = (r: ApiResponse) => ({ status: r.status, code: r.body?.errors?.[0]?.code, detail: r.body?.errors?.[0]?.detail });

beforeAll(async () => {
  emu = await startEmulator({ deployMs: 50, knobs: { elasticIpProvisionMs: 100, elasticIpMoveMs: 100, elasticIpReleaseMs: 100 } });
  api = apiClient(emu.url);
});
afterAll(() => emu.close());
beforeEach(() => {
  Object.assign(emu.knobs, { ...defaultNetworkSecurityKnobs(), elasticIpProvisionMs: 100, elasticIpMoveMs: 100, elasticIpReleaseMs: 100 });
});

describe("create: 202 with id null while configuring, then active", () => {
  it("answers 202 {id: null, address, status: configuring, project}, hides the id until provisioned, then shows the full shape", async () => {
    emu.knobs.elasticIpProvisionMs = 600;
    const project = await newProject();
    const server = await newServer(project.id, "MIA2", "eip-create");
    // The project may be given by slug ("The project ID or slug").
    const created = await api.post("/elastic_ips", eipDoc(project.slug, server));
    expect(created.status).toBe(202);
    expect(created.body.data).toEqual({
      id: null,
      type: "elastic_ips",
      attributes: { address: expect.any(String), status: "configuring", project: { id: project.id, name: expect.any(String), slug: project.slug } },
    });
    const address: string = created.body.data.attributes.address;
    const serverIp = emu.servers().find((s) => s.id === server)?.primaryIpv4;
    expect(address).toMatch(/^127\.252\.\d{1,3}\.\d{1,3}$/);
    expect(address).not.toBe(serverIp);

    // Listed with id null; its id does not answer yet.
    const [configuring] = await listed(`filter[project]=${project.id}&filter[server]=${server}`);
    expect(configuring).toMatchObject({ id: null, attributes: { address, status: "configuring" } });
    const internal = emu.elasticIps().find((e) => e.address === address);
    expect(internal).toMatchObject({ published: false, status: "configuring", server, site: "MIA2" });
    expect((await api.get(`/elastic_ips/${internal?.id}`)).status).toBe(404);

    const id = await waitFor(async () => (await listed(`filter[server]=${server}`))[0]?.id ?? undefined);
    expect(id).toBe(internal?.id);
    const one = await api.get(`/elastic_ips/${id}`);
    expect(one.status).toBe(200);
    expect(one.body.data).toEqual({
      id,
      type: "elastic_ips",
      attributes: {
        address,
        family: "IPv4",
        prefix_length: 32,
        mode: "routed",
        status: "active",
        created_at: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/),
        server: { id: server, hostname: "eip-create", primary_ipv4: serverIp, operating_system: "ubuntu_24_04_x64_lts" },
        project: { id: project.id, name: expect.any(String), slug: project.slug },
        region: { id: expect.stringMatching(/^region_/), name: "Miami", location: { id: expect.stringMatching(/^loc_/), name: "Miami 2", slug: "MIA2" } },
      },
    });
  });

  it("is found again by project, server and address after the 202 is lost", async () => {
    const project = await newProject();
    const server = await newServer(project.id, "MIA2", "eip-lost");
    emu.knobs.loseNextElasticIpPosts = 1;
    await expect(api.post("/elastic_ips", eipDoc(project.id, server))).rejects.toThrow();
    expect(emu.knobs.loseNextElasticIpPosts).toBe(0);
    expect(emu.requests.filter((r) => r.method === "POST" && r.path === "/elastic_ips").at(-1)?.status).toBe(0);
    // It exists: list by the project and server (address is not a filter the spec declares).
    const [found] = await listed(`filter[project]=${project.id}&filter[server]=${server}`);
    expect(found?.attributes.server.id).toBe(server);
    const address: string = found.attributes.address;
    const id = await waitFor(async () => (await listed(`filter[project]=${project.id}&filter[server]=${server}&filter[status]=active`)).find((e) => e.attributes.address === address)?.id);
    expect(emu.elasticIps().filter((e) => e.server === server).map((e) => e.id)).toEqual([id]);
    expect(errorOf(await api.get(`/elastic_ips?filter[address]=${address}`))).toMatchObject({ status: 400, code: "VALIDATION_ERROR" });
    expect(errorOf(await api.get("/elastic_ips?filter[status]=on"))).toMatchObject({ status: 400, code: "VALIDATION_ERROR" });
    // The next POST answers normally.
    expect((await api.post("/elastic_ips", eipDoc(project.id, server))).status).toBe(202);
  });

  it("refuses with the spec's 422 codes: missing fields, server not in project, unsupported site, incompatible network, allocation failure", async () => {
    const project = await newProject();
    const other = await newProject();
    const server = await newServer(project.id, "MIA2", "eip-ok");
    const foreign = await newServer(other.id, "MIA2", "eip-foreign");
    const before = emu.elasticIps().length;

    const missing = await api.post("/elastic_ips", doc("elastic_ips", { project_id: project.id }));
    expect(missing.status).toBe(422);
    expect(missing.body.errors[0]).toMatchObject({ code: "VALIDATION_ERROR", source: { pointer: "/data/attributes/server_id" } });
    expect(errorOf(await api.post("/elastic_ips", eipDoc("no-such-project", server)))).toMatchObject({ status: 422, code: "VALIDATION_ERROR" });
    expect(errorOf(await api.post("/elastic_ips", eipDoc(project.id, foreign)))).toMatchObject({ status: 422, code: "SERVER_NOT_IN_PROJECT" });
    expect(errorOf(await api.post("/elastic_ips", eipDoc(project.id, "sv_doesnotexist1")))).toMatchObject({ status: 422, code: "SERVER_NOT_IN_PROJECT" });

    expect(ELASTIC_IP_UNSUPPORTED_SITES).toContain("SAO");
    const sao = await newServer(project.id, "SAO", "eip-sao");
    const unsupported = await api.post("/elastic_ips", eipDoc(project.id, sao));
    expect(unsupported.body.errors[0]).toMatchObject({ code: "SITE_NOT_SUPPORTED", status: "422", title: "Site Not Supported", detail: "Elastic IPs are not available for site SAO" });
    // SAO2 is supported (Latitude's Terraform docs create one there).
    expect((await api.post("/elastic_ips", eipDoc(project.id, await newServer(project.id, "SAO2", "eip-sao2")))).status).toBe(202);

    emu.knobs.elasticIpNetworkIncompatible = (hostname) => hostname === "eip-ok";
    expect(errorOf(await api.post("/elastic_ips", eipDoc(project.id, server)))).toMatchObject({ status: 422, code: "SERVER_NETWORK_INCOMPATIBLE" });
    emu.knobs.elasticIpNetworkIncompatible = false;

    emu.knobs.failNextElasticIpAllocations = 1;
    expect(errorOf(await api.post("/elastic_ips", eipDoc(project.id, server)))).toEqual({ status: 422, code: "IP_ALLOCATION_FAILED", detail: "Failed to allocate IP address" });
    expect(emu.knobs.failNextElasticIpAllocations).toBe(0);
    expect(emu.elasticIps().length).toBe(before + 1);
    expect((await api.post("/elastic_ips", eipDoc(project.id, server))).status).toBe(202);
  });
});

describe("move (PATCH)", () => {
  it("moves an active IP to a server of the same project and site: 202 moving with the new server, then active", async () => {
    const project = await newProject();
    const a = await newServer(project.id, "MIA2", "move-a");
    const b = await newServer(project.id, "MIA2", "move-b");
    const { id, address } = await activeIp(project.id, a);
    const moved = await api.patch(`/elastic_ips/${id}`, moveDoc(b));
    expect(moved.status).toBe(202);
    expect(moved.body.data).toMatchObject({ id, attributes: { address, status: "moving", server: { id: b, hostname: "move-b" } } });
    // Not active while moving: neither moved again nor released.
    expect(errorOf(await api.patch(`/elastic_ips/${id}`, moveDoc(a)))).toMatchObject({ status: 422, code: "ELASTIC_IP_NOT_ACTIVE" });
    expect(errorOf(await api.del(`/elastic_ips/${id}`))).toMatchObject({ status: 422, code: "ELASTIC_IP_NOT_RELEASABLE" });
    await waitFor(async () => ((await api.get(`/elastic_ips/${id}`)).body.data.attributes.status === "active" ? true : undefined));
    expect((await listed(`filter[server]=${a}`)).length).toBe(0);
    expect((await listed(`filter[server]=${b}`)).map((e) => e.id)).toEqual([id]);
  });

  it("refuses another site (SITE_MISMATCH), another project (SERVER_NOT_IN_PROJECT), a missing server_id, and an IP still configuring (404)", async () => {
    const project = await newProject();
    const other = await newProject();
    const a = await newServer(project.id, "MIA2", "refuse-a");
    const ash = await newServer(project.id, "ASH", "refuse-ash");
    const foreign = await newServer(other.id, "MIA2", "refuse-foreign");
    const { id } = await activeIp(project.id, a);
    const mismatch = await api.patch(`/elastic_ips/${id}`, moveDoc(ash));
    expect(mismatch.body.errors[0]).toMatchObject({ code: "SITE_MISMATCH", status: "422", title: "Site Mismatch" });
    expect(errorOf(await api.patch(`/elastic_ips/${id}`, moveDoc(foreign)))).toMatchObject({ status: 422, code: "SERVER_NOT_IN_PROJECT" });
    expect(errorOf(await api.patch(`/elastic_ips/${id}`, doc("elastic_ips", {})))).toMatchObject({ status: 422, code: "VALIDATION_ERROR" });
    emu.knobs.elasticIpNetworkIncompatible = (hostname) => hostname === "refuse-b";
    const b = await newServer(project.id, "MIA2", "refuse-b");
    expect(errorOf(await api.patch(`/elastic_ips/${id}`, moveDoc(b)))).toMatchObject({ status: 422, code: "SERVER_NETWORK_INCOMPATIBLE" });
    expect((await api.get(`/elastic_ips/${id}`)).body.data.attributes).toMatchObject({ status: "active", server: { id: a } });
    expect((await api.patch("/elastic_ips/eip_doesnotexist1", moveDoc(a))).status).toBe(404);

    emu.knobs.elasticIpProvisionMs = 5000;
    expect((await api.post("/elastic_ips", eipDoc(project.id, a))).status).toBe(202);
    const pending = emu.elasticIps().find((e) => e.status === "configuring" && e.server === a);
    expect((await api.patch(`/elastic_ips/${pending?.id}`, moveDoc(a))).status).toBe(404);
  });
});

describe("release (DELETE)", () => {
  it("releases an active IP through releasing, then it is gone; a second release is refused, then 404", async () => {
    const project = await newProject();
    const server = await newServer(project.id, "MIA2", "release-a");
    const { id } = await activeIp(project.id, server);
    expect((await api.del(`/elastic_ips/${id}`)).status).toBe(204);
    expect((await api.get(`/elastic_ips/${id}`)).body.data.attributes.status).toBe("releasing");
    expect((await listed(`filter[status]=releasing&filter[project]=${project.id}`)).map((e) => e.id)).toEqual([id]);
    expect(errorOf(await api.del(`/elastic_ips/${id}`))).toMatchObject({ status: 422, code: "ELASTIC_IP_NOT_RELEASABLE" });
    await waitFor(async () => ((await api.get(`/elastic_ips/${id}`)).status === 404 ? true : undefined));
    expect((await api.del(`/elastic_ips/${id}`)).status).toBe(404);
    expect(await listed(`filter[project]=${project.id}`)).toEqual([]);
  });

  it("releases an IP whose provisioning ended in error", async () => {
    const project = await newProject();
    const server = await newServer(project.id, "MIA2", "release-error");
    emu.knobs.failNextElasticIpProvisions = 1;
    expect((await api.post("/elastic_ips", eipDoc(project.id, server))).status).toBe(202);
    const failed = await waitFor(async () => (await listed(`filter[project]=${project.id}&filter[status]=error`))[0]);
    expect(failed.id).toMatch(/^eip_/);
    expect((await api.del(`/elastic_ips/${failed.id}`)).status).toBe(204);
    // The knob was used up: the next one becomes active.
    await activeIp(project.id, server);
  });
});

describe("server and project deletion", () => {
  it("keeps the IP of a deleted server with server null, movable within the site; deleting the project releases its IPs", async () => {
    const project = await newProject();
    const a = await newServer(project.id, "MIA2", "gone-a");
    const b = await newServer(project.id, "MIA2", "gone-b");
    const { id } = await activeIp(project.id, a);
    expect((await api.del(`/servers/${a}`)).status).toBe(204);
    const orphan = await api.get(`/elastic_ips/${id}`);
    expect(orphan.body.data.attributes).toMatchObject({ status: "active", server: null, region: { location: { slug: "MIA2" } } });
    expect(await listed(`filter[server]=${a}`)).toEqual([]);
    expect((await api.patch(`/elastic_ips/${id}`, moveDoc(b))).status).toBe(202);
    await waitFor(async () => ((await api.get(`/elastic_ips/${id}`)).body.data.attributes.status === "active" ? true : undefined));

    expect((await api.del(`/servers/${b}`)).status).toBe(204);
    expect((await api.del(`/projects/${project.id}`)).status).toBe(204);
    expect((await api.get(`/elastic_ips/${id}`)).status).toBe(404);
    expect(emu.elasticIps().some((e) => e.project === project.id)).toBe(false);
  });
});

describe("team limit", () => {
  it("answers ELASTIC_IP_LIMIT_REACHED beyond the team's limits.elastic_ip", async () => {
    const solo = await startEmulator({ deployMs: 50, knobs: { elasticIpProvisionMs: 10_000 } });
    try {
      const c = apiClient(solo.url);
      const p = await c.post("/projects", doc("projects", { name: "Limit", provisioning_type: "on_demand" }));
      const project: string = p.body.data.id;
      const s = await c.post("/servers", doc("servers", { project, plan: "c2-small-x86", site: "MIA2", operating_system: "ubuntu_24_04_x64_lts", hostname: "limit", billing: "hourly" }));
      const server: string = s.body.data.id;
      const limit = TEAM.limits.elastic_ip;
      for (let i = 0; i < limit; i++) expect((await c.post("/elastic_ips", eipDoc(project, server))).status).toBe(202);
      expect(errorOf(await c.post("/elastic_ips", eipDoc(project, server)))).toMatchObject({ status: 422, code: "ELASTIC_IP_LIMIT_REACHED" });
      const addresses = solo.elasticIps().map((e) => e.address);
      expect(new Set(addresses).size).toBe(limit);
      expect(addresses).not.toContain(solo.servers()[0]?.primaryIpv4);
    } finally {
      await solo.close();
    }
  });
});
