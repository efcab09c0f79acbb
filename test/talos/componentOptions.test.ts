// Resource options of the Talos components, which mocks do not record: captured with a
// transformation on a test root component that parents the components under test.
import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { assignRoles } from "../../config/roles";
import { MOCK_MACHINE_SECRETS, MockServer } from "../fixtures/talosMocks";

interface Seen {
  type: string;
  name: string;
  props: Record<string, unknown>;
  opts: pulumi.CustomResourceOptions;
}
const seen: Seen[] = [];

beforeAll(async () => {
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        const state: Record<string, unknown> = { ...(args.inputs as Record<string, unknown>), primaryIpv4: "127.0.9.1", serverId: `sv_${args.name}` };
        if (args.type === "talos:machine/secrets:Secrets") state["machineSecrets"] = MOCK_MACHINE_SECRETS;
        return { id: `${args.name}-id`, state };
      },
      call: (args) => {
        if (args.token === "talos:machine/getConfiguration:getConfiguration") return { machineConfiguration: "config" };
        if (args.token === "talos:client/getConfiguration:getConfiguration") return { talosConfig: "context: cto" };
        throw new Error(`unexpected invoke ${args.token}`);
      },
    },
    "cto-metal",
    "cto-test",
  );
});


async function build(prefix: string, count: number, protectSecrets: boolean) {
  const { TalosCluster } = await import("../../components/talos/talosCluster");
  const { TalosBootstrap } = await import("../../components/talos/talosBootstrap");
  const root = new pulumi.ComponentResource("test:Root", `${prefix}-root`, {}, {
    transformations: [(args) => void seen.push({ type: args.type, name: args.name, props: args.props, opts: args.opts })],
  });
  const roles = assignRoles(Array.from({ length: count }, (_, i) => ({ name: `n${i + 1}` })));
  const servers = roles.map((node) => new MockServer(`${prefix}-${node.name}`, { parent: root }));
  const cluster = new TalosCluster(
    prefix,
    {
      clusterName: "cto",
      talosVersion: "v1.13.0",
      kubernetesVersion: "v1.36.0",
      installerImage: "factory.talos.dev/metal-installer/abc:v1.13.0",
      protectSecrets,
      allowControlPlaneRemoval: ["old-cp"],
      nodes: roles.map((node, i) => ({ name: node.name, role: node.role, hostname: `h-${node.name}`, installDisk: { disk: "/dev/sda" }, publicIp: servers[i]!.primaryIpv4, serverId: servers[i]!.serverId })),
    },
    { parent: root },
  );
  const bootstrap = new TalosBootstrap(
    prefix,
    {
      clusterName: "cto",
      clientConfiguration: cluster.clientConfiguration,
      checkHealth: false,
      nodes: roles.map((node, i) => ({ name: node.name, role: node.role, publicIp: servers[i]!.primaryIpv4, machineConfiguration: cluster.machineConfigurations[node.name]! })),
      anchor: cluster.anchor,
      cluster: cluster.secrets,
    },
    { parent: root },
  );
  await new Promise<void>((resolve) => bootstrap.kubeconfig.apply(() => resolve()));
  const named = (name: string): Seen => {
    const found = seen.find((s) => s.name === name);
    if (!found) throw new Error(`no resource named ${name}`);
    return found;
  };
  return { roles, servers, cluster, bootstrap, named };
}

describe("Talos resource options", () => {
  it("keeps the machine secrets secret, and protects them only when asked (the production profile)", async () => {
    const standard = await build("s", 2, false);
    expect(standard.named("s-secrets").opts.protect).toBe(false);
    expect(standard.named("s-secrets").opts.additionalSecretOutputs).toEqual(expect.arrayContaining(["machineSecrets", "clientConfiguration"]));
    const production = await build("p", 2, true);
    expect(production.named("p-secrets").opts.protect).toBe(true);
  });

  it("resets every removed node (a control plane leaves etcd) before its server goes, and skips resets when the whole cluster goes", async () => {
    const { roles, cluster, named } = await build("d", 5, false);
    for (const node of roles) {
      const apply = named(`d-${node.name}-apply`);
      // deleted on its own (a reset) unless the machine secrets go too: only a destroy of the cluster deletes them
      expect(apply.opts.deletedWith).toBe(cluster.secrets);
      expect(apply.props["onDestroy"]).toEqual({ graceful: true, reboot: false, reset: true });
    }
    const bootstrap = named("d-bootstrap");
    expect(bootstrap.opts.deletedWith).toBe(cluster.secrets);
    // every control plane's apply before the bootstrap, whichever is the pinned anchor
    expect((bootstrap.opts.dependsOn as pulumi.Resource[]).map((r) => (r as unknown as { __name: string }).__name)).toEqual(["d-n1-apply", "d-n2-apply", "d-n3-apply"]);
    const kubeconfig = named("d-kubeconfig");
    expect((kubeconfig.opts.dependsOn as pulumi.Resource[]).map((r) => (r as unknown as { __name: string }).__name)).toEqual(["d-bootstrap"]);
  });

  it("registers the control-plane guard with the control planes and the allowed removals", async () => {
    const { named } = await build("g", 5, false);
    const guard = named("g-control-planes");
    expect(guard.type).toBe("pulumi-nodejs:dynamic/cluster:ControlPlaneGuard");
    expect(guard.props).toMatchObject({ controlPlanes: ["n1", "n2", "n3"], allowRemoval: ["old-cp"], allowEndpointChange: false, endpointConfigured: false, kubernetesVersion: "v1.36.0" });
  });
});
