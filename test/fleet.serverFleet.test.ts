// ServerFleet under Pulumi mocks: exactly the resources, names and inputs expected for 1, 2 and 5
// nodes (mocks never run provider code, so nothing is dialled).
import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { checkedState } from "./fixtures/checkedState";
import type { LatitudeConfig, NodeConfig } from "../config/types";
import { LATITUDE_PROVIDER_VERSION } from "../providers/latitude/server";

const IDENTITY = "0123456789abcdef";

interface Registration {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
}
const registrations: Registration[] = [];

beforeAll(async () => {
  await pulumi.runtime.setMocks(
    {
      newResource: async (args) => {
        registrations.push({ type: args.type, name: args.name, inputs: args.inputs as Record<string, unknown> });
        const outputs: Record<string, unknown> = await checkedState(args.type, { ...(args.inputs as Record<string, unknown>) });
        if (args.type.endsWith(":Server")) Object.assign(outputs, { serverId: `sv_${args.name}`, primaryIpv4: "127.0.0.9", status: "on" });
        if (args.type.endsWith(":Project")) outputs["projectId"] = "proj_created";
        if (args.type.endsWith(":Tag")) outputs["tagId"] = "tag_stack";
        if (args.type.endsWith(":SshKey")) outputs["sshKeyId"] = `ssh_${args.name}`;
        if (args.type.endsWith(":VirtualNetwork")) outputs["vlanId"] = "vlan_1";
        if (args.type.endsWith(":StackIdentity")) outputs["identity"] = IDENTITY;
        // as the providers do: the resource id is the Latitude id
        const idKey = { Server: "serverId", Project: "projectId", Tag: "tagId", SshKey: "sshKeyId", VirtualNetwork: "vlanId", StackIdentity: "identity" }[args.type.split(":").pop() ?? ""];
        return { id: idKey ? (outputs[idKey] as string) : `${args.name}-id`, state: outputs };
      },
      call: (args) => {
        throw new Error(`unexpected invoke ${args.token}`);
      },
    },
    "cto-metal",
    "cto-test",
  );
});

const node = (name: string, extra: Partial<NodeConfig> = {}): NodeConfig => ({ name, plan: "c2-small-x86", hostname: `cto-cto-test-${name}`, allowReplace: false, ...extra });
const latitude = (nodes: NodeConfig[], extra: Partial<LatitudeConfig> = {}): LatitudeConfig => ({
  project: { kind: "create", name: "cto-test", provisioningType: "on_demand" },
  site: "MIA2",
  plan: "c2-small-x86",
  billing: "hourly",
  nodes,
  hostnamePrefix: "cto",
  operatingSystem: "ipxe",
  sshKeys: [],
  allowReinstall: false,
  deployTimeoutMinutes: 30,
  ...extra,
});
const value = <T>(output: pulumi.Output<T>): Promise<T> => new Promise((resolve) => output.apply(resolve));
const IPXE = "https://pxe.factory.talos.dev/pxe/376567988ad370138ad8b2698212367b8edcb69b5fd68c80be1f2ec7d603b4ba/v1.13.0/metal-amd64";

/** Registrations arrive once their inputs resolve; wait until the expected count is in. */
async function build(name: string, lat: LatitudeConfig, adoptedProjectId?: string, expected?: number) {
  const { ServerFleet } = await import("../components/fleet/serverFleet");
  registrations.length = 0;
  const prices = lat.nodes.map((n) => ({ name: n.name, hourly: 0.2, monthly: 146 }));
  const fleet = new ServerFleet(name, { latitude: lat, stackTag: "cto-metal-cto-test", prices, ipxeUrl: IPXE, adoptedProjectId });
  const nodes = await value(fleet.nodes);
  const cost = await value(fleet.cost);
  if (expected !== undefined) {
    await vi.waitFor(() => expect(registrations).toHaveLength(expected));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(registrations).toHaveLength(expected);
  }
  return { fleet, nodes, cost, registered: [...registrations] };
}

const summary = (registered: Registration[]) => registered.map((r) => `${r.type.replace("pulumi-nodejs:dynamic/latitude:", "")} ${r.name}`);
const servers = (registered: Registration[]) => registered.filter((r) => r.type === "pulumi-nodejs:dynamic/latitude:Server");

describe("ServerFleet", () => {
  it("registers project, tag and one server for a single node that is a control plane", async () => {
    const { registered, nodes, cost } = await build("one", latitude([node("cp1")]));
    expect(summary(registered).sort()).toEqual(["Project one-project", "Server one-cp1", "StackIdentity one-identity", "Tag one-tag", "cto:fleet:ServerFleet one"].sort());
    const [server] = servers(registered);
    expect(server?.inputs).toMatchObject({
      projectId: "proj_created",
      nodeName: "cp1",
      hostname: "cto-cto-test-cp1",
      role: "controlplane",
      plan: "c2-small-x86",
      site: "MIA2",
      billing: "hourly",
      operatingSystem: "ipxe",
      ipxeUrl: IPXE,
      sshKeyIds: [],
      tagIds: ["tag_stack"],
      stackTag: "cto-metal-cto-test",
      stackIdentity: IDENTITY,
      hourlyPrice: 0.2,
      allowReinstall: false,
      allowReplace: false,
      talosPort: 50000,
      deployTimeoutSeconds: 1800,
      providerVersion: LATITUDE_PROVIDER_VERSION,
    });
    expect(nodes).toEqual([{ name: "cp1", role: "controlplane", serverId: "sv_one-cp1", hostname: "cto-cto-test-cp1", publicIp: "127.0.0.9" }]);
    expect(cost).toEqual({ perNode: [{ name: "cp1", hourly: 0.2, monthly: 146 }], totalHourly: 0.2, totalMonthly: 146 });
  });

  it("makes the second of two nodes a worker", async () => {
    const { registered } = await build("two", latitude([node("a"), node("b")]));
    expect(servers(registered).map((s) => [s.name, s.inputs["role"]])).toEqual([
      ["two-a", "controlplane"],
      ["two-b", "worker"],
    ]);
  });

  it("registers 5 servers (3 control planes), SSH keys, a VLAN with an assignment per node, and adopts a project", async () => {
    const key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIMjzxQF9/eg8xULmugd0ro+pShpmJoQNmiiEkBOOlC+Y ops@cto";
    const lat = latitude(["n1", "n2", "n3", "n4", "n5"].map((n) => node(n)), {
      project: { kind: "adopt", slug: "existing" },
      sshKeys: [{ name: "ops", publicKey: key }],
      vlan: { subnet: "10.8.0.0/24" },
    });
    // component, identity, tag, SSH key, VLAN, 5 servers, 5 assignments
    const { registered, nodes, cost } = await build("five", lat, "proj_adopted", 16);
    const names = summary(registered);
    expect(names.filter((n) => n.startsWith("Project"))).toEqual([]);
    expect(names.filter((n) => n.startsWith("Server")).sort()).toEqual(["Server five-n1", "Server five-n2", "Server five-n3", "Server five-n4", "Server five-n5"]);
    expect(names.filter((n) => n.startsWith("VlanAssignment")).sort()).toEqual(["n1", "n2", "n3", "n4", "n5"].map((n) => `VlanAssignment five-${n}-vlan`));
    expect(names).toContain("VirtualNetwork five-vlan");
    expect(names).toContain("SshKey five-ssh-ops");
    expect(servers(registered).map((s) => s.inputs["role"])).toEqual(["controlplane", "controlplane", "controlplane", "worker", "worker"]);
    expect(servers(registered).every((s) => s.inputs["projectId"] === "proj_adopted" && JSON.stringify(s.inputs["sshKeyIds"]) === '["ssh_five-ssh-ops"]')).toBe(true);
    // adoption of keys and VLANs asks for the stack's identity too
    expect(registered.filter((r) => /:(SshKey|VirtualNetwork)$/.test(r.type)).map((r) => r.inputs["stackIdentity"])).toEqual([IDENTITY, IDENTITY]);
    expect(new Set(nodes.map((n) => n.privateIp)).size).toBe(5);
    expect(nodes.every((n) => n.privateIp?.startsWith("10.8.0."))).toBe(true);
    expect(cost.totalMonthly).toBe(730);
  });

  it("writes the stack's identity where Latitude shows it: the tag's and the owned project's description", async () => {
    const { registered, fleet } = await build("owned", latitude([node("a")], { project: { kind: "create", name: "cto-test", description: "team lab", provisioningType: "on_demand" } }));
    const inputsOf = (type: string) => registered.find((r) => r.type === `pulumi-nodejs:dynamic/latitude:${type}`)?.inputs;
    expect(inputsOf("StackIdentity")).toMatchObject({ stack: "cto-metal-cto-test" });
    expect(inputsOf("Tag")).toMatchObject({ name: "cto-metal-cto-test", description: `owned by Pulumi stack cto-metal-cto-test (stack identity ${IDENTITY})` });
    expect(inputsOf("Project")).toMatchObject({ name: "cto-test", description: `team lab; owned by Pulumi stack cto-metal-cto-test (stack identity ${IDENTITY})` });
    expect(await value(fleet.stackIdentity)).toBe(IDENTITY);
  });

  it("leaves the iPXE URL out for OS servers", async () => {
    const { registered } = await build("os", latitude([node("a")], { operatingSystem: "ubuntu_24_04_x64_lts" }));
    expect(servers(registered)[0]?.inputs["ipxeUrl"]).toBeUndefined();
  });
});
