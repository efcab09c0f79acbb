// What every platform chart shares: its Namespace (created by us, so Talos pod-security labels and
// deletedWith apply to it) and Release arguments pinned from versions.ts.
import type * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import type { ChartPin } from "../../versions";
import { deepMerge, type HelmValues } from "./values";

/**
 * Talos enforces the "baseline" Pod Security Standard cluster-wide; a namespace whose pods mount
 * host paths or run privileged must say so.
 */
export const PRIVILEGED_POD_SECURITY = {
  "pod-security.kubernetes.io/enforce": "privileged",
  "pod-security.kubernetes.io/audit": "privileged",
  "pod-security.kubernetes.io/warn": "privileged",
} as const;

export function namespaceArgs(name: string, privileged = false): k8s.core.v1.NamespaceArgs {
  return { metadata: { name, labels: { "app.kubernetes.io/managed-by": "pulumi", ...(privileged ? PRIVILEGED_POD_SECURITY : {}) } } };
}

/** A pinned chart installed under an explicit release name into a namespace we created. */
export function chartReleaseArgs(pin: ChartPin, releaseName: string, namespace: pulumi.Input<string>, values: HelmValues, override?: HelmValues): k8s.helm.v3.ReleaseArgs {
  return {
    name: releaseName,
    namespace,
    createNamespace: false,
    chart: pin.chart,
    version: pin.version,
    repositoryOpts: { repo: pin.repo },
    values: deepMerge(values, override),
  };
}

/** Options for a component's children: parented, and deleted with the cluster when given. */
export function childOptions(parent: pulumi.Resource, deletedWith: pulumi.Resource | undefined): pulumi.CustomResourceOptions {
  return { parent, ...(deletedWith && { deletedWith }) };
}
