// Talos machine config patches as plain objects. The Talos component JSON-stringifies each one and
// hands the list to the plugin as strategic-merge patches (JSON is YAML). Small, named patches
// keep the (secret, opaque) machine config diffs reviewable.
import { parseIpv4Cidr } from "../../config/cidr";
import type { DiskSelector, InstallDisk, NodeRole } from "../../config/types";
import { type NetworkPatch, type VlanParent, networkPatch } from "./networkPatch";

export * from "./networkPatch";

export interface InstallPatch {
  readonly machine: {
    readonly install: { readonly disk?: string; readonly diskSelector?: DiskSelector; readonly image: string; readonly wipe: false };
  };
}

/**
 * Talos 1.12+ documents the hostname in its own `HostnameConfig` document, and config generation
 * adds one with `auto: stable`; `machine.network.hostname` beside it is refused ("static hostname
 * is already set in v1alpha1 config", pkg/machinery@v1.13.0 config/types/network/hostname.go).
 * This patch merges into the generated document: a static name needs `auto: off`.
 */
export interface HostnamePatch {
  readonly apiVersion: "v1alpha1";
  readonly kind: "HostnameConfig";
  readonly auto: "off";
  readonly hostname: string;
}

export interface ClusterPatch {
  readonly machine?: { readonly certSANs: readonly string[] };
  readonly cluster: {
    readonly controlPlane: { readonly endpoint: string };
    readonly apiServer?: { readonly certSANs: readonly string[] };
    readonly allowSchedulingOnControlPlanes?: boolean;
  };
}

export type TalosPatch = InstallPatch | HostnamePatch | NetworkPatch | ClusterPatch;

/**
 * Where and what Talos installs. The image must be the Image Factory installer for the booted
 * schematic and version (installerImage), or the extensions are lost. `wipe: false`: the installer
 * repartitions the system disk anyway; wiping it whole only slows a reinstall down.
 */
export function installPatch(disk: InstallDisk, installerImage: string): InstallPatch {
  if (installerImage.trim() === "") throw new Error("installPatch: the installer image must not be empty");
  const target = "disk" in disk ? { disk: disk.disk } : { diskSelector: disk.diskSelector };
  return { machine: { install: { ...target, image: installerImage, wipe: false } } };
}

export function hostnamePatch(hostname: string): HostnamePatch {
  if (hostname.trim() === "") throw new Error("hostnamePatch: the hostname must not be empty");
  return { apiVersion: "v1alpha1", kind: "HostnameConfig", auto: "off", hostname };
}

export interface ClusterPatchArgs {
  /** `https://<host>:6443` (clusterEndpoint(...).url). */
  readonly endpoint: string;
  readonly certSANs: readonly string[];
  readonly allowSchedulingOnControlPlanes: boolean;
}

/**
 * The API endpoint for every node; for control planes also the certificate SANs (Talos API and
 * kube-apiserver) and whether they take workloads. Workers get the endpoint only: the SANs and the
 * scheduling switch describe control-plane services.
 */
export function clusterPatch(args: ClusterPatchArgs, role: NodeRole = "controlplane"): ClusterPatch {
  if (!/^https:\/\/[^\s/]+:\d+$/.test(args.endpoint)) {
    throw new Error(`clusterPatch: expected an endpoint such as "https://10.0.0.1:6443", got ${JSON.stringify(args.endpoint)}`);
  }
  const controlPlane = { endpoint: args.endpoint };
  if (role === "worker") return { cluster: { controlPlane } };
  const certSANs = [...args.certSANs];
  return {
    machine: { certSANs },
    cluster: { controlPlane, apiServer: { certSANs }, allowSchedulingOnControlPlanes: args.allowSchedulingOnControlPlanes },
  };
}

/**
 * Whether control planes also run workloads (`cluster.allowSchedulingOnControlPlanes`):
 * - true when no node is a worker (someone has to run the workloads);
 * - true for 1 or 2 nodes whatever the roles: the default rule makes the lone control plane of a
 *   small cluster a worker too (1 node: CP + worker; 2: first CP + worker, second worker);
 * - false for 3 or more nodes with at least one worker: control planes keep to the control plane.
 * Growing from 2 nodes to 3 (with a worker) turns it off: the control plane gets its NoSchedule
 * taint back and new pods go to workers; running pods stay until they are rescheduled.
 */
export function allowSchedulingOnControlPlanes(nodes: readonly { readonly role: NodeRole }[]): boolean {
  const hasWorker = nodes.some((node) => node.role === "worker");
  return !hasWorker || nodes.length <= 2;
}

export interface PatchNode {
  readonly name: string;
  readonly role: NodeRole;
  /** The Latitude hostname, also the Talos (and Kubernetes node) name. */
  readonly hostname: string;
  /** From resolveInstallDisk. */
  readonly installDisk: InstallDisk;
  /** The node's VLAN address without prefix (allocatePrivateIps); required with a VLAN. */
  readonly privateIp?: string;
  /** The card the VLAN is tagged on (vlanParent); required with a VLAN. */
  readonly vlanParent?: VlanParent;
}

export interface PatchCluster extends ClusterPatchArgs {
  /** installerImage(schematicId, TALOS_VERSION). */
  readonly installerImage: string;
  readonly vlan?: {
    readonly vid: number;
    /** The VLAN subnet (CIDR), for the prefix of the node's address. */
    readonly subnet: string;
    /** talosVip(...): put on control planes only. */
    readonly vip?: string;
    /** The VLAN rides on the public card, which keeps its DHCP address. */
    readonly parentDhcp?: boolean;
  };
}

/**
 * The patches of one node, always in the same order: install, hostname, network (with a VLAN),
 * cluster. A stable order keeps the rendered config, and so the apply,
 * unchanged from one run to the next.
 */
export function nodePatches(node: PatchNode, cluster: PatchCluster): TalosPatch[] {
  const network = cluster.vlan !== undefined ? networkPatch(vlanOf(node, cluster.vlan)) : undefined;
  return [
    installPatch(node.installDisk, cluster.installerImage),
    hostnamePatch(node.hostname),
    ...(network !== undefined ? [network] : []),
    clusterPatch(cluster, node.role),
  ];
}

function vlanOf(node: PatchNode, vlan: NonNullable<PatchCluster["vlan"]>) {
  if (node.privateIp === undefined) throw new Error(`nodePatches: node ${node.name} has no VLAN address`);
  if (node.vlanParent === undefined) throw new Error(`nodePatches: node ${node.name} has no VLAN parent card`);
  const subnet = parseIpv4Cidr(vlan.subnet);
  if (!subnet.ok) throw new Error(`nodePatches: vlan subnet: expected ${subnet.expected}, got ${JSON.stringify(vlan.subnet)}`);
  const vip = node.role === "controlplane" ? vlan.vip : undefined;
  return {
    parent: node.vlanParent,
    vid: vlan.vid,
    address: `${node.privateIp}/${subnet.cidr.prefix}`,
    ...(vip !== undefined && { vip }),
    ...(vlan.parentDhcp !== undefined && { parentDhcp: vlan.parentDhcp }),
  };
}
