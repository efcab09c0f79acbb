// The whole program under Pulumi mocks, with its read-only Latitude lookups served by the emulator:
// what it registers for cto-test, that it only reads, and that the API key reaches no input.
import * as pulumi from "@pulumi/pulumi";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { checkedState } from "./fixtures/checkedState";
import { startEmulator, type Emulator } from "../emulator";
import { MOCK_TALOS_SECRETS } from "./fixtures/talosMocks";
import { buildValidator, validate, validatorUnavailable } from "./talos/talosValidator";
import { KUBERNETES_VERSION, TALOS_VERSION } from "../versions";

const SENTINEL_CONFIG = "sentinel-config-token-7d1e";
const SENTINEL_ENV = "sentinel-env-token-42ab";
let emulator: Emulator;
const registered: Array<{ type: string; name: string; inputs: Record<string, unknown> }> = [];
const invokes: string[] = [];
/** configPatches of every getConfiguration invoke, by machine type order of arrival. */
const renders: Array<{ machineType: string; clusterEndpoint: string; patches: string[] }> = [];

const CTO_TEST = {
  "cto-metal:project": '{"name":"cto-test","provisioningType":"on_demand"}',
  "cto-metal:site": "MIA2",
  "cto-metal:plan": "c2-small-x86",
  "cto-metal:billing": "hourly",
  "cto-metal:nodes": '[{"name":"cp1","role":"controlplane"},{"name":"worker1","role":"worker"}]',
  // The cluster half only; the platform and GitOps halves: test/program.platform.test.ts.
  "cto-metal:skipStack": "true",
};

async function runProgram(config: Record<string, string>) {
  registered.length = 0;
  invokes.length = 0;
  renders.length = 0;
  emulator.clearLog();
  await pulumi.runtime.setMocks(
    {
      newResource: async (args) => {
        registered.push({ type: args.type, name: args.name, inputs: args.inputs as Record<string, unknown> });
        const state: Record<string, unknown> = await checkedState(args.type, { ...(args.inputs as Record<string, unknown>) });
        if (args.type.endsWith(":Server")) Object.assign(state, { serverId: `sv_${args.name}`, primaryIpv4: "127.0.0.7" });
        if (args.type.endsWith(":Project")) state["projectId"] = "proj_new";
        if (args.type.endsWith(":Tag")) state["tagId"] = "tag_new";
        if (args.type.endsWith(":VirtualNetwork")) Object.assign(state, { vlanId: "vlan_new", vid: 2012 });
        if (args.type === "talos:machine/secrets:Secrets") Object.assign(state, MOCK_TALOS_SECRETS);
        if (args.type === "talos:cluster/kubeconfig:Kubeconfig") state["kubeconfigRaw"] = "kubeconfig-text";
        return { id: `${args.name}-id`, state };
      },
      call: (args) => {
        invokes.push(args.token);
        const inputs = args.inputs as Record<string, unknown>;
        if (args.token === "talos:machine/getConfiguration:getConfiguration") {
          renders.push({ machineType: String(inputs["machineType"]), clusterEndpoint: String(inputs["clusterEndpoint"]), patches: inputs["configPatches"] as string[] });
          return { ...inputs, machineConfiguration: "machine-config" };
        }
        if (args.token === "talos:client/getConfiguration:getConfiguration") return { ...inputs, talosConfig: "talosconfig-text" };
        if (args.token === "talos:cluster/getHealth:getHealth") return { ...inputs };
        throw new Error(`unexpected invoke ${args.token}`);
      },
    },
    "cto-metal",
    "cto-test",
  );
  pulumi.runtime.setAllConfig({ ...config, "latitudesh:authToken": SENTINEL_CONFIG }, ["latitudesh:authToken"]);
  vi.resetModules();
  const program = (await import("../index")).default;
  return program();
}

const value = (output: unknown): Promise<unknown> =>
  new Promise((resolve) => {
    (output as pulumi.Output<unknown>).apply((v) => resolve(v));
  });

beforeAll(async () => {
  emulator = await startEmulator();
  vi.stubEnv("LATITUDESH_API_URL", emulator.url);
  vi.stubEnv("LATITUDESH_AUTH_TOKEN", SENTINEL_ENV);
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await emulator.close();
});

describe("the program for cto-test", () => {
  it("wires servers into Talos: fleet, machine configs, applies, one bootstrap, kubeconfig and talosconfig", async () => {
    const outputs = await runProgram(CTO_TEST);
    await vi.waitFor(() => expect(registered).toHaveLength(15));
    expect(registered.map((r) => `${r.type} ${r.name}`).sort()).toEqual(
      [
        "cto:fleet:ServerFleet cto",
        "pulumi-nodejs:dynamic/cluster:GitOpsRemovalGuard cto-gitops-guard",
        "pulumi-nodejs:dynamic/latitude:StackIdentity cto-identity",
        "pulumi-nodejs:dynamic/latitude:Project cto-project",
        "pulumi-nodejs:dynamic/latitude:Server cto-cp1",
        "pulumi-nodejs:dynamic/latitude:Server cto-worker1",
        "pulumi-nodejs:dynamic/latitude:Tag cto-tag",
        "cto:talos:TalosCluster cto",
        "talos:machine/secrets:Secrets cto-secrets",
        "pulumi-nodejs:dynamic/cluster:ControlPlaneGuard cto-control-planes",
        "cto:talos:TalosBootstrap cto",
        "talos:machine/configurationApply:ConfigurationApply cto-cp1-apply",
        "talos:machine/configurationApply:ConfigurationApply cto-worker1-apply",
        "talos:machine/bootstrap:Bootstrap cto-bootstrap",
        "talos:cluster/kubeconfig:Kubeconfig cto-kubeconfig",
      ].sort(),
    );
    expect(await value(outputs["kubeconfig"])).toBe("kubeconfig-text");
    expect(await pulumi.isSecret(outputs["kubeconfig"] as pulumi.Output<string>)).toBe(true);
    expect(await pulumi.isSecret(outputs["talosconfig"] as pulumi.Output<string>)).toBe(true);
    expect(await value(outputs["kubernetesEndpoint"])).toBe("https://127.0.0.7:6443");
    expect(invokes.filter((t) => t === "talos:machine/getConfiguration:getConfiguration")).toHaveLength(2);
    expect(await value(outputs["costPerHourUsd"])).toBe(0.4);
    expect(await value(outputs["costPerMonthUsd"])).toBe(292);
    expect(await value(outputs["nodes"])).toEqual([
      { name: "cp1", role: "controlplane", serverId: "sv_cto-cp1", hostname: "cto-cto-metal-cto-test-cp1", publicIp: "127.0.0.7" },
      { name: "worker1", role: "worker", serverId: "sv_cto-worker1", hostname: "cto-cto-metal-cto-test-worker1", publicIp: "127.0.0.7" },
    ]);
    expect(emulator.requests.length).toBeGreaterThan(0);
    expect(emulator.requests.every((r) => r.method === "GET")).toBe(true);
  });

  it("puts each node on the VLAN, on the card the config names, in configs Talos accepts", async () => {
    await runProgram({
      ...CTO_TEST,
      "cto-metal:nodes": '[{"name":"cp1"},{"name":"cp2"},{"name":"cp3"},{"name":"w1","vlanParent":"0c:c4:7a:00:00:75"}]',
      "cto-metal:vlan": '{"subnet":"172.16.4.0/24","parent":"enp1s0f1"}',
    });
    await vi.waitFor(() => expect(renders).toHaveLength(4));
    const vlanOf = (patches: string[]) => patches.map((p) => JSON.parse(p) as { machine?: { network?: { interfaces?: unknown[] } } }).find((p) => p.machine?.network)?.machine?.network?.interfaces;
    const byType = (type: string) => renders.filter((r) => r.machineType === type);
    expect(byType("controlplane").map((r) => vlanOf(r.patches))).toContainEqual([
      { interface: "enp1s0f1", dhcp: false, vlans: [{ vlanId: 2012, addresses: [expect.stringMatching(/^172\.16\.4\.\d+\/24$/)], vip: { ip: "172.16.4.1" } }] },
    ]);
    expect(vlanOf(byType("worker")[0]!.patches)).toStrictEqual([
      { deviceSelector: { hardwareAddr: "0c:c4:7a:00:00:75", physical: true }, dhcp: false, vlans: [{ vlanId: 2012, addresses: [expect.stringMatching(/^172\.16\.4\.\d+\/24$/)] }] },
    ]);
    // Talos' own machinery judges the very patches the program passed (skipped loudly without Go)
    if (validatorUnavailable()) return;
    const verdict = validate(buildValidator(), {
      clusterName: "cto",
      endpoint: renders[0]!.clusterEndpoint,
      talosVersion: TALOS_VERSION,
      kubernetesVersion: KUBERNETES_VERSION,
      nodes: renders.map((r, i) => ({ name: `node${i}`, role: r.machineType as "controlplane" | "worker", patches: r.patches })),
    });
    expect(verdict.nodes.flatMap((node) => [...node.errors, ...node.warnings])).toStrictEqual([]);
    expect(verdict.status).toBe(0);
  }, 180_000);

  it("rents servers only with stopAfter servers", async () => {
    await runProgram({ ...CTO_TEST, "cto-metal:stopAfter": "servers" });
    await vi.waitFor(() => expect(registered).toHaveLength(6));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(registered.filter((r) => r.type.startsWith("talos:") || r.type.startsWith("cto:talos"))).toEqual([]);
    expect(invokes).toEqual([]);
  });

  it("puts the API key from config or environment in no registered input", async () => {
    await runProgram(CTO_TEST);
    await vi.waitFor(() => expect(registered).toHaveLength(15));
    const everything = JSON.stringify(registered);
    expect(everything).not.toContain(SENTINEL_CONFIG);
    expect(everything).not.toContain(SENTINEL_ENV);
    // the provider code itself is an input (__provider): it must not carry the key either
    expect(registered.some((r) => typeof r.inputs["__provider"] === "string")).toBe(true);
  });

  it("stops before registering anything when the plan is out of stock at the site", async () => {
    await expect(runProgram({ ...CTO_TEST, "cto-metal:site": "DAL" })).rejects.toThrow(
      /^Latitude catalogue check failed:\n {2}- cto-metal:plan \(nodes cp1, worker1\): plan c2-small-x86 is out of stock in DAL/,
    );
    expect(registered).toEqual([]);
    expect(emulator.requests.every((r) => r.method === "GET")).toBe(true);
  });

  it("adopts a project by slug, and names the key when the slug does not exist", async () => {
    await expect(runProgram({ ...CTO_TEST, "cto-metal:project": '{"slug":"no-such-project"}' })).rejects.toThrow(/^cto-metal:project:/);
    expect(registered).toEqual([]);
  });
});
