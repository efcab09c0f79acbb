// LocalPathStorage: rancher's local-path provisioner (containeroo's chart repository, which mirrors
// the upstream chart) as the cluster's DEFAULT StorageClass; Talos ships none. Volumes live in a
// host directory under /var (the only writable place on Talos), which the kubelet must see: the
// Talos configs need `localPathKubeletPatch()` (the lead adds it to every node).
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { CHARTS } from "../../versions";
import { chartReleaseArgs, childOptions, namespaceArgs } from "./chartRelease";
import type { HelmValues } from "./values";

export const LOCAL_PATH_HOST_DIR = "/var/mnt/local-path-provisioner";
export const LOCAL_PATH_NAMESPACE = "local-path-storage";
export const LOCAL_PATH_STORAGE_CLASS = "local-path";

/** Talos machine-config patch: bind the host dir into the kubelet's mount namespace (rshared, so
 * the provisioner's volume mounts propagate to pods). */
export function localPathKubeletPatch(hostDir: string = LOCAL_PATH_HOST_DIR): { machine: { kubelet: { extraMounts: Array<{ destination: string; type: string; source: string; options: string[] }> } } } {
  return { machine: { kubelet: { extraMounts: [{ destination: hostDir, type: "bind", source: hostDir, options: ["rbind", "rshared", "rw"] }] } } };
}

export function localPathValues(storageClassName: string = LOCAL_PATH_STORAGE_CLASS, hostDir: string = LOCAL_PATH_HOST_DIR): HelmValues {
  return {
    storageClass: {
      create: true,
      defaultClass: true,
      name: storageClassName,
      reclaimPolicy: "Delete",
      // Bind where the pod lands: a hostPath volume is only usable on its node.
      volumeBindingMode: "WaitForFirstConsumer",
    },
    nodePathMap: [{ node: "DEFAULT_PATH_FOR_NON_LISTED_NODES", paths: [hostDir] }],
  };
}

export interface LocalPathStorageArgs {
  /** Default "local-path". */
  storageClassName?: string;
  /** Merged over the built values. */
  values?: HelmValues;
  /** The cluster: everything here goes with it on destroy. */
  deletedWith?: pulumi.Resource;
}

export class LocalPathStorage extends pulumi.ComponentResource {
  readonly namespace: pulumi.Output<string>;
  readonly release: k8s.helm.v3.Release;
  /** Known once the chart is installed, so a PVC using it waits for the provisioner. */
  readonly storageClassName: pulumi.Output<string>;

  constructor(name: string, args: LocalPathStorageArgs = {}, opts?: pulumi.ComponentResourceOptions) {
    super("cto:platform:LocalPathStorage", name, {}, opts);
    const child = childOptions(this, args.deletedWith);
    const className = args.storageClassName ?? LOCAL_PATH_STORAGE_CLASS;
    // The helper pods that create and delete volume dirs mount the host path: privileged namespace.
    const ns = new k8s.core.v1.Namespace(`${name}-ns`, namespaceArgs(LOCAL_PATH_NAMESPACE, true), child);
    this.namespace = ns.metadata.name;
    this.release = new k8s.helm.v3.Release(name, chartReleaseArgs(CHARTS.localPath, "local-path-provisioner", this.namespace, localPathValues(className), args.values), child);
    this.storageClassName = this.release.name.apply(() => className);
    this.registerOutputs({ namespace: this.namespace, storageClassName: this.storageClassName });
  }
}
