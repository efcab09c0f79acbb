// The change matrix for the cluster layers: each class of change applied to a running stack, and the
// plan it makes (created, updated, deleted) or the refusal a preview shows, through the whole
// program with the state-only guards checked against the previous run (fixtures/planSimulator.ts).
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { startEmulator, type Emulator } from "../emulator";
import { PlanSimulator, simulatedIp, type Plan } from "./fixtures/planSimulator";

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator();
  vi.stubEnv("LATITUDESH_API_URL", emulator.url);
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await emulator.close();
});

const BASE = {
  "cto-metal:project": '{"name":"cto-test","provisioningType":"on_demand"}',
  "cto-metal:site": "MIA2",
  "cto-metal:plan": "c2-small-x86",
  "cto-metal:skipStack": "true",
};
const nodes = (...list: Array<[string, "controlplane" | "worker" | undefined]>) =>
  JSON.stringify(list.map(([name, role]) => ({ name, ...(role && { role }) })));
const HA = nodes(["cp1", "controlplane"], ["cp2", "controlplane"], ["cp3", "controlplane"], ["w1", "worker"]);

const APPLY = "talos:machine/configurationApply:ConfigurationApply";
const SERVER = "pulumi-nodejs:dynamic/latitude:Server";
const GUARD = "pulumi-nodejs:dynamic/cluster:ControlPlaneGuard cto-control-planes";
const of = (plan: Plan, type: string) => (keys: string[]) => keys.filter((key) => key.startsWith(`${type} `)).map((key) => key.slice(type.length + 1));
const input = (plan: Plan, key: string) => plan.inputs.get(key)!;

/** Two runs: the stack as it is, then the change. */
async function change(before: Record<string, string>, after: Record<string, string>): Promise<{ first: Plan; plan: Plan }> {
  const sim = new PlanSimulator();
  const first = await sim.run({ ...BASE, ...before });
  expect(first.refused).toEqual([]);
  return { first, plan: await sim.run({ ...BASE, ...after }) };
}

describe("change matrix: the cluster layers", () => {
  it("reorder nodes: nothing changes but the guard's list; endpoint, bootstrap and kubeconfig stay on cp1", async () => {
    const { first, plan } = await change({ "cto-metal:nodes": HA }, { "cto-metal:nodes": nodes(["w1", "worker"], ["cp3", "controlplane"], ["cp1", "controlplane"], ["cp2", "controlplane"]) });
    expect(plan.refused).toEqual([]);
    expect(plan.created).toEqual([]);
    expect(plan.deleted).toEqual([]);
    expect(plan.updated).toEqual([GUARD]);
    expect(plan.outputs["kubernetesEndpoint"]).toBe(first.outputs["kubernetesEndpoint"]);
    expect(plan.outputs["kubernetesEndpoint"]).toBe(`https://${simulatedIp("cto-cp1")}:6443`);
  });

  it("insert a control plane at the top: the endpoint and the bootstrap node stay; only control-plane configs gain its SAN", async () => {
    const { first, plan } = await change(
      { "cto-metal:nodes": HA },
      { "cto-metal:nodes": nodes(["cp0", "controlplane"], ["cp1", "controlplane"], ["cp2", "controlplane"], ["cp3", "controlplane"], ["cp4", "controlplane"], ["w1", "worker"]) },
    );
    expect(plan.refused).toEqual([]);
    expect(plan.outputs["kubernetesEndpoint"]).toBe(first.outputs["kubernetesEndpoint"]);
    expect(of(plan, APPLY)(plan.created)).toEqual(["cto-cp0-apply", "cto-cp4-apply"]);
    expect(of(plan, APPLY)(plan.updated)).toEqual(["cto-cp1-apply", "cto-cp2-apply", "cto-cp3-apply"]);
    expect(input(plan, "talos:machine/bootstrap:Bootstrap cto-bootstrap")["node"]).toBe(simulatedIp("cto-cp1"));
    expect(plan.updated).not.toContain("talos:machine/bootstrap:Bootstrap cto-bootstrap");
  });

  it("add a worker without a role to cto-test: a worker, not a second etcd member", async () => {
    const { plan } = await change(
      { "cto-metal:nodes": nodes(["cp1", "controlplane"], ["worker1", "worker"]) },
      { "cto-metal:nodes": JSON.stringify([{ name: "cp1", role: "controlplane" }, { name: "worker1", role: "worker" }, { name: "worker2" }]) },
    );
    expect(plan.refused).toEqual([]);
    expect(of(plan, SERVER)(plan.created)).toEqual(["cto-worker2"]);
    expect(input(plan, `${SERVER} cto-worker2`)["role"]).toBe("worker");
    expect(input(plan, GUARD)["controlPlanes"]).toEqual(["cp1"]);
  });

  it("remove a worker: its server and apply go, the apply resetting it first; no other node changes", async () => {
    const { first, plan } = await change(
      { "cto-metal:nodes": nodes(["cp1", "controlplane"], ["cp2", "controlplane"], ["cp3", "controlplane"], ["w1", "worker"], ["w2", "worker"]) },
      { "cto-metal:nodes": HA },
    );
    expect(plan.refused).toEqual([]);
    expect(plan.deleted).toEqual(expect.arrayContaining([`${APPLY} cto-w2-apply`, `${SERVER} cto-w2`]));
    expect(first.inputs.get(`${APPLY} cto-w2-apply`)!["onDestroy"]).toEqual({ graceful: true, reboot: false, reset: true });
    expect(of(plan, APPLY)(plan.updated)).toEqual([]);
  });

  it("remove a confirmed control plane: it leaves etcd (its apply resets gracefully) before its server goes", async () => {
    const { first, plan } = await change(
      { "cto-metal:nodes": HA },
      { "cto-metal:nodes": nodes(["cp1", "controlplane"], ["cp2", "controlplane"], ["w1", "worker"]), "cto-metal:allowControlPlaneRemoval": '["cp3"]', "cto-metal:allowEvenControlPlanes": "true" },
    );
    expect(plan.refused).toEqual([]);
    expect(plan.deleted).toEqual(expect.arrayContaining([`${APPLY} cto-cp3-apply`, `${SERVER} cto-cp3`]));
    // the state the delete runs with: a graceful reset, and the apply is not deleted with its server
    expect(first.inputs.get(`${APPLY} cto-cp3-apply`)!["onDestroy"]).toEqual({ graceful: true, reboot: false, reset: true });
  });

  it("remove an unconfirmed control plane, or the one holding the endpoint: refused at preview, naming the key", async () => {
    const unconfirmed = await change({ "cto-metal:nodes": HA }, { "cto-metal:nodes": nodes(["cp1", "controlplane"], ["cp2", "controlplane"], ["w1", "worker"]), "cto-metal:allowEvenControlPlanes": "true" });
    expect(unconfirmed.plan.refused).toEqual([expect.stringContaining('control plane "cp3" is no longer listed') as unknown]);
    const anchor = await change(
      { "cto-metal:nodes": HA },
      { "cto-metal:nodes": nodes(["cp2", "controlplane"], ["cp3", "controlplane"], ["w1", "worker"]), "cto-metal:allowControlPlaneRemoval": '["cp1"]', "cto-metal:allowEvenControlPlanes": "true" },
    );
    expect(anchor.plan.refused).toEqual([expect.stringContaining("set cto-metal:allowEndpointChange to true") as unknown]);
  });

  it("move the endpoint (the anchor's removal confirmed): the Kubernetes provider keeps its cluster identity, so it is updated, not replaced with every release", async () => {
    const platform = { "cto-metal:skipStack": "false" };
    const { first, plan } = await change(
      { ...platform, "cto-metal:nodes": HA },
      { ...platform, "cto-metal:nodes": nodes(["cp2", "controlplane"], ["cp3", "controlplane"], ["w1", "worker"]), "cto-metal:allowControlPlaneRemoval": '["cp1"]', "cto-metal:allowEndpointChange": "true", "cto-metal:allowEvenControlPlanes": "true" },
    );
    expect(plan.refused).toEqual([]);
    expect(plan.outputs["kubernetesEndpoint"]).toBe(`https://${simulatedIp("cto-cp2")}:6443`);
    const provider = "pulumi:providers:kubernetes cto-k8s";
    expect(plan.updated).toContain(provider);
    // pulumi-kubernetes replaces its provider only when clusterIdentifier changes (DiffConfig)
    expect(plan.inputs.get(provider)!["clusterIdentifier"]).toBe(first.inputs.get(provider)!["clusterIdentifier"]);
    expect(plan.inputs.get(provider)!["clusterIdentifier"]).toEqual(expect.any(String));
  });

  it("bump Kubernetes by one minor: every node's config is re-applied; by two: refused", async () => {
    const one = await change({ "cto-metal:nodes": HA, "cto-metal:kubernetesVersion": "v1.34.1" }, { "cto-metal:nodes": HA, "cto-metal:kubernetesVersion": "v1.35.0" });
    expect(one.plan.refused).toEqual([]);
    expect(of(one.plan, APPLY)(one.plan.updated)).toEqual(["cto-cp1-apply", "cto-cp2-apply", "cto-cp3-apply", "cto-w1-apply"]);
    const two = await change({ "cto-metal:nodes": HA, "cto-metal:kubernetesVersion": "v1.34.1" }, { "cto-metal:nodes": HA, "cto-metal:kubernetesVersion": "v1.36.0" });
    expect(two.plan.refused).toEqual([expect.stringContaining("cto-metal:kubernetesVersion: expected at most one minor version above v1.34.1") as unknown]);
  });

  it("bump the Talos version (versions.ts): every node's config carries the new installer; the machine secrets' talosVersion is raised (the plugin replaces them only on a lowered version)", async () => {
    const sim = new PlanSimulator();
    const first = await sim.run({ ...BASE, "cto-metal:nodes": HA });
    const actual = await vi.importActual<typeof import("../versions")>("../versions");
    vi.doMock("../versions", () => ({ ...actual, TALOS_VERSION: "v1.13.1" }));
    try {
      const plan = await sim.run({ ...BASE, "cto-metal:nodes": HA });
      expect(plan.refused).toEqual([]);
      expect(of(plan, APPLY)(plan.updated)).toEqual(["cto-cp1-apply", "cto-cp2-apply", "cto-cp3-apply", "cto-w1-apply"]);
      const secrets = "talos:machine/secrets:Secrets cto-secrets";
      expect(plan.updated).toContain(secrets);
      expect(plan.created).not.toContain(secrets);
      expect(first.inputs.get(secrets)!["talosVersion"]).toBe(actual.TALOS_VERSION);
      expect(plan.inputs.get(secrets)!["talosVersion"]).toBe("v1.13.1");
    } finally {
      vi.doUnmock("../versions");
    }
  });

  it("a fifth node in a /28 VLAN: the four others keep their addresses and configs", async () => {
    const vlan = '{"subnet":"10.8.0.0/28","parent":"enp1s0f1"}';
    const four = nodes(["cp1", "controlplane"], ["w1", "worker"], ["w2", "worker"], ["w3", "worker"]);
    const five = nodes(["cp1", "controlplane"], ["w1", "worker"], ["w2", "worker"], ["w3", "worker"], ["w4", "worker"]);
    const { plan } = await change({ "cto-metal:nodes": four, "cto-metal:vlan": vlan }, { "cto-metal:nodes": five, "cto-metal:vlan": vlan });
    expect(plan.refused).toEqual([]);
    expect(of(plan, APPLY)(plan.updated)).toEqual([]);
    expect(of(plan, APPLY)(plan.created)).toEqual(["cto-w4-apply"]);
  });
});
