// Removing a control plane is refused at preview unless the config names it: the pure rule, and the
// guard provider's `check`, which the engine runs during preview with the previous inputs.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { controlPlaneRemovalMessage, refusedControlPlaneRemovals } from "../../providers/cluster/controlPlaneRemoval";
import { controlPlaneGuardProvider, type ControlPlaneGuardInputs } from "../../providers/cluster/controlPlaneGuard";

const inputs = (controlPlanes: string[], allowRemoval: string[] = [], more: Partial<ControlPlaneGuardInputs> = {}): ControlPlaneGuardInputs => ({ providerVersion: "2", controlPlanes, allowRemoval, ...more });
/** What the engine stores after a run: the checked inputs, with the anchor. */
const stored = (controlPlanes: string[], anchor: string, more: Partial<ControlPlaneGuardInputs> = {}) => inputs(controlPlanes, [], { ...more, anchor });

describe("refusedControlPlaneRemovals", () => {
  it("refuses a control plane that disappeared without being named", () => {
    expect(refusedControlPlaneRemovals(["cp1", "cp2", "cp3"], ["cp1", "cp2"], [])).toEqual(["cp3"]);
    expect(refusedControlPlaneRemovals(["cp1", "cp2", "cp3"], ["cp1", "cp2"], ["cp3"])).toEqual([]);
    expect(refusedControlPlaneRemovals(["cp1", "cp2", "cp3"], ["cp1"], ["cp3"])).toEqual(["cp2"]);
  });

  it("never refuses additions, and refuses exactly the unconfirmed removals", () => {
    const names = fc.uniqueArray(fc.constantFrom<string>("cp1", "cp2", "cp3", "cp4", "cp5"));
    fc.assert(
      fc.property(names, names, names, (previous, current, allowed) => {
        const refused = refusedControlPlaneRemovals(previous, current, allowed);
        for (const name of refused) expect(previous.includes(name) && !current.includes(name) && !allowed.includes(name)).toBe(true);
        for (const name of previous) if (!current.includes(name) && !allowed.includes(name)) expect(refused).toContain(name);
        expect(refusedControlPlaneRemovals(previous, [...new Set([...previous, ...current])], [])).toEqual([]);
      }),
    );
  });

  it("names the nodes and the key that allows the removal", () => {
    expect(controlPlaneRemovalMessage(["cp3"], ["cp1", "cp2"])).toBe(
      'cto-metal:nodes: control plane "cp3" is no longer listed; removing a control plane takes its etcd member away ' +
        "(2 control planes would be left, and etcd needs a majority). Put it back, or confirm with cto-metal:allowControlPlaneRemoval: [\"cp3\"]",
    );
  });
});

describe("ControlPlaneGuard provider", () => {
  // The engine passes no olds on the first run.
  const check = (olds: Partial<ControlPlaneGuardInputs>, news: ControlPlaneGuardInputs) => controlPlaneGuardProvider.check!(olds as ControlPlaneGuardInputs, news);

  it("passes the first run, additions and confirmed removals", async () => {
    expect(await check({}, inputs(["cp1"]))).toEqual({ inputs: { ...inputs(["cp1"]), anchor: "cp1" } });
    expect(await check(stored(["cp1"], "cp1"), inputs(["cp1", "cp2", "cp3"]))).toEqual({ inputs: { ...inputs(["cp1", "cp2", "cp3"]), anchor: "cp1" } });
    expect((await check(stored(["cp1", "cp2", "cp3"], "cp1"), inputs(["cp1", "cp2"], ["cp3"]))).failures).toBeUndefined();
  });

  it("keeps the anchor (endpoint, bootstrap, kubeconfig) where the first up put it when nodes are reordered or a control plane is inserted at the top", async () => {
    expect((await check(stored(["cp1", "cp2", "cp3"], "cp1"), inputs(["cp3", "cp2", "cp1"]))).inputs?.anchor).toBe("cp1");
    expect((await check(stored(["cp1", "cp2", "cp3"], "cp1"), inputs(["cp0", "cp1", "cp2", "cp3"]))).inputs?.anchor).toBe("cp1");
    // state from before the anchor existed: the first control plane of that run was it
    expect((await check(inputs(["cp1", "cp2", "cp3"]), inputs(["cp0", "cp1", "cp2", "cp3"]))).inputs?.anchor).toBe("cp1");
  });

  it("refuses removing the anchor unless confirmed, and lets a configured endpoint move only the bootstrap node", async () => {
    const refused = await check(stored(["cp1", "cp2", "cp3"], "cp1"), inputs(["cp2", "cp3"], ["cp1"]));
    expect(refused.failures).toEqual([{ property: "anchor", reason: expect.stringContaining('control plane "cp1" is gone, and its public IP is the cluster\'s Kubernetes endpoint') as unknown }]);
    expect(refused.failures?.[0]?.reason).toContain("set cto-metal:allowEndpointChange to true");
    expect((await check(stored(["cp1", "cp2", "cp3"], "cp1"), inputs(["cp2", "cp3"], ["cp1"], { allowEndpointChange: true }))).inputs?.anchor).toBe("cp2");
    expect((await check(stored(["cp1", "cp2", "cp3"], "cp1"), inputs(["cp2", "cp3"], ["cp1"], { endpointConfigured: true }))).inputs?.anchor).toBe("cp2");
  });

  it("refuses a Kubernetes downgrade or a jump of more than one minor against the version in state", async () => {
    const at = (version: string) => stored(["cp1"], "cp1", { kubernetesVersion: version });
    const next = (version: string) => inputs(["cp1"], [], { kubernetesVersion: version });
    expect((await check(at("v1.35.2"), next("v1.36.0"))).failures).toBeUndefined();
    expect((await check(at("v1.35.2"), next("v1.35.4"))).failures).toBeUndefined();
    expect((await check({}, next("v1.31.0"))).failures).toBeUndefined();
    expect((await check(at("v1.35.2"), next("v1.34.1"))).failures).toEqual([
      { property: "kubernetesVersion", reason: "cto-metal:kubernetesVersion: expected v1.35.2 or newer (the cluster runs it; Kubernetes cannot be downgraded), got v1.34.1" },
    ]);
    expect((await check(at("v1.35.2"), next("v1.35.1"))).failures?.[0]?.reason).toContain("cannot be downgraded");
    expect((await check(at("v1.34.1"), next("v1.36.0"))).failures).toEqual([
      {
        property: "kubernetesVersion",
        reason: "cto-metal:kubernetesVersion: expected at most one minor version above v1.34.1 (v1.35.x), got v1.36.0; upgrade one minor version per `pulumi up`",
      },
    ]);
  });

  it("fails the preview when a control plane is removed unconfirmed", async () => {
    const result = await check(stored(["cp1", "cp2", "cp3"], "cp1"), inputs(["cp1", "cp2"]));
    expect(result.inputs).toBeUndefined();
    expect(result.failures).toEqual([{ property: "controlPlanes", reason: expect.stringContaining('control plane "cp3" is no longer listed') as unknown }]);
  });

  it("updates in place when the list changes and never replaces", async () => {
    expect(await controlPlaneGuardProvider.diff!("id", inputs(["cp1"]), inputs(["cp1"]))).toEqual({ changes: false, replaces: [] });
    expect(await controlPlaneGuardProvider.diff!("id", inputs(["cp1"]), inputs(["cp1", "cp2"]))).toEqual({ changes: true, replaces: [] });
    expect(await controlPlaneGuardProvider.update!("id", inputs(["cp1"]), inputs(["cp1", "cp2"]))).toEqual({ outs: inputs(["cp1", "cp2"]) });
  });
});
