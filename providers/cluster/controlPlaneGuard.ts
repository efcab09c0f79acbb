// A state-only resource that remembers what the cluster's safety depends on, so the next preview can
// refuse what the config did not confirm: a removed control plane (only state knows it was there),
// a move of the anchor control plane (endpoint, bootstrap, kubeconfig), a Kubernetes version jump.
// It talks to no API; `check` sees the previous and the new inputs and writes the pinned anchor
// into the inputs, so it is known at preview. This object is serialized into state: dependencies
// are local modules only.
import * as pulumi from "@pulumi/pulumi";
import { checkKubernetesVersionChange, pinAnchor } from "./clusterPins";
import { controlPlaneRemovalMessage, refusedControlPlaneRemovals } from "./controlPlaneRemoval";

/** Bumped with the provider code, so the engine stores the new code in state. */
const PROVIDER_VERSION = "2";

export interface ControlPlaneGuardInputs {
  providerVersion: string;
  /** Node names of the control planes in this run, in config order. */
  controlPlanes: string[];
  /** Control planes the config allows to disappear (cto-metal:allowControlPlaneRemoval). */
  allowRemoval: string[];
  /** cto-metal:allowEndpointChange. */
  allowEndpointChange?: boolean;
  /** cto-metal:clusterEndpoint is set. */
  endpointConfigured?: boolean;
  /** cto-metal:kubernetesVersion of this run. */
  kubernetesVersion?: string;
  /** Set by check: the pinned anchor control plane (components/talos/clusterPins.ts). */
  anchor?: string;
}

type Outputs = ControlPlaneGuardInputs;

export const controlPlaneGuardProvider: pulumi.dynamic.ResourceProvider<ControlPlaneGuardInputs, Outputs> = {
  check(olds: Partial<ControlPlaneGuardInputs>, news: ControlPlaneGuardInputs): Promise<pulumi.dynamic.CheckResult<ControlPlaneGuardInputs>> {
    const failures: pulumi.dynamic.CheckFailure[] = [];
    const refused = refusedControlPlaneRemovals(olds.controlPlanes ?? [], news.controlPlanes, news.allowRemoval);
    if (refused.length > 0) failures.push({ property: "controlPlanes", reason: controlPlaneRemovalMessage(refused, news.controlPlanes) });
    // State written before the anchor existed: the first control plane of that run was the anchor.
    const previous = olds.anchor ?? olds.controlPlanes?.[0];
    const anchor = pinAnchor({ previous, controlPlanes: news.controlPlanes, allowChange: news.allowEndpointChange ?? false, endpointConfigured: news.endpointConfigured ?? false });
    if (!anchor.ok) failures.push({ property: "anchor", reason: anchor.message });
    if (news.kubernetesVersion !== undefined) {
      const version = checkKubernetesVersionChange(olds.kubernetesVersion, news.kubernetesVersion);
      if (!version.ok) failures.push({ property: "kubernetesVersion", reason: version.message });
    }
    if (failures.length > 0 || !anchor.ok) return Promise.resolve({ failures });
    return Promise.resolve({ inputs: { ...news, anchor: anchor.value } });
  },
  diff(_id: string, olds: Outputs, news: ControlPlaneGuardInputs): Promise<pulumi.dynamic.DiffResult> {
    const keys = new Set([...Object.keys(olds), ...Object.keys(news)]) as Set<keyof ControlPlaneGuardInputs>;
    const changes = [...keys].some((key) => JSON.stringify(olds[key]) !== JSON.stringify(news[key]));
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
  allowEndpointChange?: boolean;
  endpointConfigured?: boolean;
  kubernetesVersion?: string;
}

export class ControlPlaneGuard extends pulumi.dynamic.Resource {
  declare readonly controlPlanes: pulumi.Output<string[]>;
  /** The pinned anchor control plane: endpoint (unless configured), bootstrap and kubeconfig node. */
  declare readonly anchor: pulumi.Output<string>;

  constructor(name: string, args: ControlPlaneGuardArgs, opts?: pulumi.CustomResourceOptions) {
    super(controlPlaneGuardProvider, name, { providerVersion: PROVIDER_VERSION, ...args, anchor: undefined }, opts, "cluster", "ControlPlaneGuard");
  }
}
