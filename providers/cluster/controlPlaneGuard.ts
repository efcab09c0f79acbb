// A state-only resource that remembers the cluster's control planes, so the next preview can refuse
// a removal the config did not confirm: a removed node is simply absent from the program, and only
// state knows it was there. It talks to no API; `check` sees the previous and the new inputs.
// This object is serialized into state: dependencies are local modules only.
import * as pulumi from "@pulumi/pulumi";
import { controlPlaneRemovalMessage, refusedControlPlaneRemovals } from "../../components/talos/controlPlaneRemoval";

/** Bumped with the provider code, so the engine stores the new code in state. */
const PROVIDER_VERSION = "1";

export interface ControlPlaneGuardInputs {
  providerVersion: string;
  /** Node names of the control planes in this run. */
  controlPlanes: string[];
  /** Control planes the config allows to disappear (cto-metal:allowControlPlaneRemoval). */
  allowRemoval: string[];
}

type Outputs = ControlPlaneGuardInputs;

export const controlPlaneGuardProvider: pulumi.dynamic.ResourceProvider<ControlPlaneGuardInputs, Outputs> = {
  check(olds: Partial<ControlPlaneGuardInputs>, news: ControlPlaneGuardInputs): Promise<pulumi.dynamic.CheckResult<ControlPlaneGuardInputs>> {
    const refused = refusedControlPlaneRemovals(olds.controlPlanes ?? [], news.controlPlanes, news.allowRemoval);
    if (refused.length === 0) return Promise.resolve({ inputs: news });
    return Promise.resolve({ failures: [{ property: "controlPlanes", reason: controlPlaneRemovalMessage(refused, news.controlPlanes) }] });
  },
  diff(_id: string, olds: Outputs, news: ControlPlaneGuardInputs): Promise<pulumi.dynamic.DiffResult> {
    const same = (a: readonly string[] = [], b: readonly string[] = []) => a.length === b.length && a.every((x, i) => x === b[i]);
    const changes = olds.providerVersion !== news.providerVersion || !same(olds.controlPlanes, news.controlPlanes) || !same(olds.allowRemoval, news.allowRemoval);
    return Promise.resolve({ changes, replaces: [] });
  },
  create(inputs: ControlPlaneGuardInputs): Promise<pulumi.dynamic.CreateResult<Outputs>> {
    return Promise.resolve({ id: "control-planes", outs: inputs });
  },
  update(_id: string, _olds: Outputs, news: ControlPlaneGuardInputs): Promise<pulumi.dynamic.UpdateResult<Outputs>> {
    return Promise.resolve({ outs: news });
  },
  delete(): Promise<void> {
    return Promise.resolve();
  },
};

export interface ControlPlaneGuardArgs {
  controlPlanes: string[];
  allowRemoval: string[];
}

export class ControlPlaneGuard extends pulumi.dynamic.Resource {
  declare readonly controlPlanes: pulumi.Output<string[]>;

  constructor(name: string, args: ControlPlaneGuardArgs, opts?: pulumi.CustomResourceOptions) {
    super(controlPlaneGuardProvider, name, { providerVersion: PROVIDER_VERSION, ...args }, opts, "cluster", "ControlPlaneGuard");
  }
}
