/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment --
   API responses are untyped JSON; these tests exist to assert their shape. */
// The `interfaces` attribute in each shape Latitude answers with, chosen per server or per plan,
// and the same in the list and the single-server answers.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type Emulator } from "../../emulator";
import { apiClient, type ApiClient } from "./testing";

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
