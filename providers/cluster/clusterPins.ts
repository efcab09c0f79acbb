// What the first `up` decides and later ups keep, checked against state at preview by the
// ControlPlaneGuard (its `check` sees the previous inputs). Pure.
//
// The anchor: the control plane whose public IP is the default Kubernetes endpoint and which
// bootstraps etcd and serves the kubeconfig. Chosen once (the first control plane in config order
// then) and kept: reordering `nodes` or inserting a control plane at the top must not move the
// endpoint, because every kubeconfig and every node's `cluster.controlPlane.endpoint` carry it.

export type PinResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly message: string };

export interface AnchorChoice {
  /** The anchor in state, if any. */
  readonly previous?: string;
  /** Control planes of this run, in config order. */
  readonly controlPlanes: readonly string[];
  /** `cto-metal:allowEndpointChange`. */
  readonly allowChange: boolean;
  /** `cto-metal:clusterEndpoint` is set: the anchor then moves only the bootstrap and kubeconfig node. */
  readonly endpointConfigured: boolean;
}

export function pinAnchor(choice: AnchorChoice): PinResult<string> {
  const first = choice.controlPlanes[0];
  if (first === undefined) return { ok: false, message: "cto-metal:nodes: no control plane, so there is no Kubernetes API endpoint" };
  if (choice.previous === undefined || choice.controlPlanes.includes(choice.previous)) return { ok: true, value: choice.previous ?? first };
  if (choice.endpointConfigured || choice.allowChange) return { ok: true, value: first };
  return {
    ok: false,
    message:
      `cto-metal:nodes: control plane "${choice.previous}" is gone, and its public IP is the cluster's Kubernetes endpoint ` +
      `(in every kubeconfig, the talosconfig and every node's config). Moving it to "${first}" replaces the Kubernetes provider's view ` +
      `of the cluster for every client: set cto-metal:allowEndpointChange to true to move it, or set cto-metal:clusterEndpoint to a DNS name you control`,
  };
}

/** "v1.35.2" → [35, 2]; undefined for anything else. */
function minorAndPatch(version: string): [number, number] | undefined {
  const match = /^v1\.(\d+)\.(\d+)$/.exec(version);
  return match ? [Number(match[1]), Number(match[2])] : undefined;
}

/**
 * A Kubernetes version change goes to every node in one apply: Kubernetes supports upgrading one
 * minor at a time and no downgrade (https://kubernetes.io/releases/version-skew-policy/), so
 * anything else is refused against the version in state.
 */
export function checkKubernetesVersionChange(previous: string | undefined, next: string): PinResult<string> {
  if (previous === undefined || previous === next) return { ok: true, value: next };
  const [from, to] = [minorAndPatch(previous), minorAndPatch(next)];
  if (from === undefined || to === undefined) return { ok: true, value: next };
  if (to[0] < from[0] || (to[0] === from[0] && to[1] < from[1])) {
    return { ok: false, message: `cto-metal:kubernetesVersion: expected ${previous} or newer (the cluster runs it; Kubernetes cannot be downgraded), got ${next}` };
  }
  if (to[0] > from[0] + 1) {
    return {
      ok: false,
      message: `cto-metal:kubernetesVersion: expected at most one minor version above ${previous} (v1.${from[0] + 1}.x), got ${next}; upgrade one minor version per \`pulumi up\``,
    };
  }
  return { ok: true, value: next };
}
