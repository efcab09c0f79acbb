// TalosCluster and TalosBootstrap under Pulumi mocks, fed by mock servers as the program feeds them:
// exact resources and invokes for 1, 2 and 5 nodes, one Bootstrap on the first control plane, and
// one apply per node addressed to its own server.
import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { assignRoles } from "../../config/roles";
import { MOCK_TALOS_SECRETS, MockServer } from "../fixtures/talosMocks";

interface Registration {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
}
const registrations: Registration[] = [];
const invokes: Array<{ token: string; inputs: Record<string, unknown> }> = [];
const ipOf = (name: string) => `127.0.9.${name.replace(/\D/g, "") || "1"}`;

beforeAll(async () => {
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        registrations.push({ type: args.type, name: args.name, inputs: args.inputs as Record<string, unknown> });
        const state: Record<string, unknown> = { ...(args.inputs as Record<string, unknown>) };
        if (args.type === "test:Server") {
          const n = args.name.replace(/\D/g, "") || "1";
          Object.assign(state, { primaryIpv4: ipOf(args.name), serverId: `sv_${args.name}`, publicMac: `AA:00:00:00:00:0${n}`, privateMac: `BB:00:00:00:00:0${n}` });
        }
        if (args.type === "talos:machine/secrets:Secrets") {
          Object.assign(state, MOCK_TALOS_SECRETS);
        }
        if (args.type === "talos:cluster/kubeconfig:Kubeconfig") state["kubeconfigRaw"] = "apiVersion: v1\nkind: Config\n";
        return { id: `${args.name}-id`, state };
      },
      call: (args) => {
        const inputs = args.inputs as Record<string, unknown>;
        invokes.push({ token: args.token, inputs });
        if (args.token === "talos:machine/getConfiguration:getConfiguration") return { ...inputs, machineConfiguration: `config:${String(inputs["machineType"])}` };
        if (args.token === "talos:client/getConfiguration:getConfiguration") return { ...inputs, talosConfig: "context: cto" };
        throw new Error(`unexpected invoke ${args.token}`);
      },
    },
    "cto-metal",
    "cto-test",
  );
});


const value = <T>(output: pulumi.Output<T>): Promise<T> => new Promise((resolve) => output.apply(resolve));

async function build(prefix: string, count: number) {
  const { TalosCluster } = await import("../../components/talos/talosCluster");
  const { TalosBootstrap } = await import("../../components/talos/talosBootstrap");
  registrations.length = 0;
  invokes.length = 0;
  const roles = assignRoles(Array.from({ length: count }, (_, i) => ({ name: `n${i + 1}` })));
  const nodes = roles.map((node) => ({ ...node, hostname: `cto-cto-test-${node.name}`, server: new MockServer(`${prefix}-${node.name}`) }));
  const cluster = new TalosCluster(prefix, {
    clusterName: "cto",
    talosVersion: "v1.13.0",
    kubernetesVersion: "v1.34.1",
    installerImage: "factory.talos.dev/installer/abc/v1.13.0",
    nodes: nodes.map((n) => ({ name: n.name, role: n.role, hostname: n.hostname, installDisk: { disk: "/dev/sda" }, publicIp: n.server.primaryIpv4, serverId: n.server.serverId })),
  });
  const bootstrap = new TalosBootstrap(`${prefix}-boot`, {
    clusterName: "cto",
    clientConfiguration: cluster.clientConfiguration,
    checkHealth: false,
    nodes: nodes.map((n) => ({ name: n.name, role: n.role, publicIp: n.server.primaryIpv4, machineConfiguration: cluster.machineConfigurations[n.name]! })),
    anchor: cluster.anchor,
    cluster: cluster.secrets,
  });
  const kubeconfig = await value(bootstrap.kubeconfig);
  const talosconfig = await value(bootstrap.talosconfig);
  const expected = 1 + 1 + count /* servers */ + 1 /* secrets */ + 1 /* control-plane guard */ + count /* applies */ + 1 /* bootstrap */ + 1; /* kubeconfig */
  await vi.waitFor(() => expect(registrations).toHaveLength(expected));
  return { cluster, bootstrap, kubeconfig, talosconfig, roles };
}

const ofType = (type: string) => registrations.filter((r) => r.type === type);
/** Secret inputs reach the mocks wrapped; the binding marks the machine configuration secret. */
const SECRET_SIG = "4dabf18193072939515e22adb298388d";
function unwrapSecret(value: unknown): { secret: boolean; value: unknown } {
  if (value !== null && typeof value === "object" && SECRET_SIG in value) return { secret: true, value: (value as unknown as { value: unknown }).value };
  return { secret: false, value };
}

describe.each([1, 2, 5])("Talos for %i node(s)", (count) => {
  it("registers the secrets once, an apply per node fed by its own server, one bootstrap and one kubeconfig", async () => {
    const { kubeconfig, talosconfig, roles, cluster, bootstrap } = await build(`t${count}`, count);
    expect(ofType("talos:machine/secrets:Secrets")).toHaveLength(1);
    expect(ofType("talos:machine/secrets:Secrets")[0]?.inputs).toEqual({ talosVersion: "v1.13.0" });
    // registrations arrive as their inputs resolve: order them by name (n1 … n5)
    const applies = ofType("talos:machine/configurationApply:ConfigurationApply").sort((a, b) => a.name.localeCompare(b.name));
    expect(applies.map((a) => a.name)).toEqual(roles.map((n) => `t${count}-boot-${n.name}-apply`));
    for (const [i, apply] of applies.entries()) {
      expect(apply.inputs["node"]).toBe(ipOf(`t${count}-n${i + 1}`));
      expect(unwrapSecret(apply.inputs["machineConfigurationInput"])).toEqual({ secret: true, value: `config:${roles[i]!.role}` });
      expect(apply.inputs["onDestroy"]).toEqual({ graceful: true, reboot: false, reset: true });
    }
    const boots = ofType("talos:machine/bootstrap:Bootstrap");
    expect(boots).toHaveLength(1);
    expect(boots[0]?.inputs["node"]).toBe(ipOf(`t${count}-n1`));
    expect(ofType("talos:cluster/kubeconfig:Kubeconfig")).toHaveLength(1);
    expect(kubeconfig).toBe("apiVersion: v1\nkind: Config\n");
    expect(talosconfig).toBe("context: cto");
    expect(await pulumi.isSecret(bootstrap.kubeconfig)).toBe(true);
    expect(await pulumi.isSecret(bootstrap.talosconfig)).toBe(true);
    expect(await value(cluster.endpoint)).toEqual({ host: ipOf(`t${count}-n1`), url: `https://${ipOf(`t${count}-n1`)}:6443`, source: "firstControlPlane" });
  });

  it("renders one machine configuration per node with its patches and its server's id", async () => {
    const { roles } = await build(`c${count}`, count);
    const configs = invokes.filter((i) => i.token === "talos:machine/getConfiguration:getConfiguration");
    expect(configs).toHaveLength(count);
    for (const [i, config] of configs.entries()) {
      const patches = (config.inputs["configPatches"] as string[]).map((p) => JSON.parse(p) as Record<string, unknown>);
      expect(config.inputs["clusterEndpoint"]).toBe(`https://${ipOf(`c${count}-n1`)}:6443`);
      expect(patches).toContainEqual({ apiVersion: "v1alpha1", kind: "HostnameConfig", auto: "off", hostname: `cto-cto-test-n${i + 1}` });
      expect(patches).toContainEqual({ machine: { install: { disk: "/dev/sda", image: "factory.talos.dev/installer/abc/v1.13.0", wipe: false } } });
      expect(patches).toContainEqual({ machine: { nodeLabels: { "cto-metal.io/latitude-server-id": `sv_c${count}-n${i + 1}` } } });
    }
    // exactly what `npm run talos:render` prints for the same server facts, in the same order
    const { renderTalos } = await import("../../components/talos/talosRender");
    const render = renderTalos(
      { clusterName: "cto", talosVersion: "v1.13.0", kubernetesVersion: "v1.34.1", installerImage: "factory.talos.dev/installer/abc/v1.13.0", extraPatches: [] },
      roles.map((node) => ({
        name: node.name,
        role: node.role,
        hostname: `cto-cto-test-${node.name}`,
        installDisk: { disk: "/dev/sda" },
        publicIp: ipOf(`c${count}-${node.name}`),
        serverId: `sv_c${count}-${node.name}`,
      })),
    );
    const byName = new Map(configs.map((config) => [(JSON.parse((config.inputs["configPatches"] as string[]).at(-1)!) as { machine: { nodeLabels: Record<string, string> } }).machine.nodeLabels["cto-metal.io/latitude-server-id"], config]));
    for (const node of render.nodes) {
      const config = byName.get(`sv_c${count}-${node.name}`)!;
      expect(config.inputs["configPatches"]).toStrictEqual(node.patches);
      expect(config.inputs["clusterEndpoint"]).toBe(render.endpoint);
      expect(config.inputs["machineType"]).toBe(node.role);
    }
    const client = invokes.filter((i) => i.token === "talos:client/getConfiguration:getConfiguration");
    expect(client).toHaveLength(1);
    expect(client[0]?.inputs["endpoints"]).toHaveLength(count <= 2 ? 1 : 3);
    expect(client[0]?.inputs["nodes"]).toHaveLength(count);
  });
});

describe("Talos with a private VLAN", () => {
  it("puts each node's static address on a VLAN sub-interface of the card Latitude lists as internal, or the one config names; the VIP on control planes", async () => {
    const { TalosCluster } = await import("../../components/talos/talosCluster");
    invokes.length = 0;
    const roles = assignRoles([{ name: "n1" }, { name: "n2" }, { name: "n3" }, { name: "n4" }]);
    const servers = roles.map((node) => new MockServer(`v-${node.name}`));
    const cluster = new TalosCluster("v", {
      clusterName: "cto",
      talosVersion: "v1.13.0",
      kubernetesVersion: "v1.34.1",
      installerImage: "factory.talos.dev/metal-installer/abc:v1.13.0",
      vlan: { vid: 2001, subnet: "10.8.0.0/24" },
      nodes: roles.map((node, i) => ({
        name: node.name,
        role: node.role,
        hostname: `cto-cto-test-${node.name}`,
        installDisk: { disk: "/dev/nvme0n1" },
        publicIp: servers[i]!.primaryIpv4,
        serverId: servers[i]!.serverId,
        privateIp: `10.8.0.${20 + i}`,
        internalMac: servers[i]!.privateMac,
        // the config wins over what Latitude reports
        ...(node.name === "n4" && { vlanParent: { interface: "enp1s0f1" } }),
      })),
    });
    await value(cluster.machineConfigurations["n4"]!);
    const configs = invokes.filter((i) => i.token === "talos:machine/getConfiguration:getConfiguration");
    expect(configs).toHaveLength(4);
    const networkOf = (host: string) =>
      configs
        .map((c) => (c.inputs["configPatches"] as string[]).map((p) => JSON.parse(p) as { hostname?: string; machine?: { network?: { interfaces?: unknown } } }))
        .find((patches) => patches.some((p) => p.hostname === host))
        ?.find((p) => p.machine?.network?.interfaces)?.machine?.network?.interfaces;
    expect(networkOf("cto-cto-test-n1")).toEqual([
      { deviceSelector: { hardwareAddr: "bb:00:00:00:00:01", physical: true }, dhcp: false, vlans: [{ vlanId: 2001, addresses: ["10.8.0.20/24"], vip: { ip: "10.8.0.1" } }] },
    ]);
    // the worker gets its address, not the VIP, on the card the config names
    expect(networkOf("cto-cto-test-n4")).toEqual([{ interface: "enp1s0f1", dhcp: false, vlans: [{ vlanId: 2001, addresses: ["10.8.0.23/24"] }] }]);
  });
});
