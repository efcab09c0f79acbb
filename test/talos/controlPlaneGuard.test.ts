// Removing a control plane is refused at preview unless the config names it: the pure rule, and the
// guard provider's `check`, which the engine runs during preview with the previous inputs.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { controlPlaneRemovalMessage, refusedControlPlaneRemovals } from "../../components/talos/controlPlaneRemoval";
import { controlPlaneGuardProvider, type ControlPlaneGuardInputs } from "../../providers/cluster/controlPlaneGuard";

const inputs = (controlPlanes: string[], allowRemoval: string[] = []): ControlPlaneGuardInputs => ({ providerVersion: "1", controlPlanes, allowRemoval });

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
    expect(await check({}, inputs(["cp1"]))).toEqual({ inputs: inputs(["cp1"]) });
    expect(await check(inputs(["cp1"]), inputs(["cp1", "cp2", "cp3"]))).toEqual({ inputs: inputs(["cp1", "cp2", "cp3"]) });
    expect((await check(inputs(["cp1", "cp2", "cp3"]), inputs(["cp1", "cp2"], ["cp3"]))).failures).toBeUndefined();
  });

  it("fails the preview when a control plane is removed unconfirmed", async () => {
    const result = await check(inputs(["cp1", "cp2", "cp3"]), inputs(["cp1", "cp2"]));
    expect(result.inputs).toBeUndefined();
    expect(result.failures).toEqual([{ property: "controlPlanes", reason: expect.stringContaining('control plane "cp3" is no longer listed') as unknown }]);
  });

  it("updates in place when the list changes and never replaces", async () => {
    expect(await controlPlaneGuardProvider.diff!("id", inputs(["cp1"]), inputs(["cp1"]))).toEqual({ changes: false, replaces: [] });
    expect(await controlPlaneGuardProvider.diff!("id", inputs(["cp1"]), inputs(["cp1", "cp2"]))).toEqual({ changes: true, replaces: [] });
    expect(await controlPlaneGuardProvider.update!("id", inputs(["cp1"]), inputs(["cp1", "cp2"]))).toEqual({ outs: inputs(["cp1", "cp2"]) });
  });
});
