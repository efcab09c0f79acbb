// What the talos plugin is asked to render, as plain data: the cluster-wide inputs and each node's
// patch list, exactly as TalosCluster passes them (one JSON text per patch, in order). The
// component and `npm run talos:render` both go through nodePatchTexts, so what a user renders
// and validates before `pulumi up` is what the plugin gets.
import type { InstallDisk, NodeRole, VlanConfig } from "../../config/types";
import { certSANs, clusterEndpoint, talosVip, type EndpointNode } from "./endpoint";
import type { VlanParent } from "./networkPatch";
import { allowSchedulingOnControlPlanes, nodePatches } from "./patches";
import { vlanParent } from "./vlanParent";

/** The format `npm run talos:render` prints and tools/talos-validate reads. */
export interface TalosRender {
  readonly clusterName: string;
  readonly endpoint: string;
  readonly talosVersion: string;
  readonly kubernetesVersion: string;
  readonly nodes: readonly { readonly name: string; readonly role: NodeRole; readonly patches: readonly string[] }[];
}

/** One node with the facts its server reports. */
export interface RenderNode {
  readonly name: string;
  readonly role: NodeRole;
  readonly hostname: string;
  readonly installDisk: InstallDisk;
  readonly publicIp: string;
  readonly serverId: string;
  /** With a VLAN: the node's VLAN address (allocatePrivateIps). */
  readonly privateIp?: string;
  /** `nodes[].vlanParent` from config. */
  readonly vlanParent?: VlanParent;
  /** The MAC Latitude lists with role `internal`, if any. */
  readonly internalMac?: string | null;
}

export interface RenderVlan {
  readonly vid: number;
  readonly subnet: string;
  /** `cto-metal:vlan.parent`. */
  readonly parent?: VlanParent;
  /** `cto-metal:vlan.parentDhcp`. */
  readonly parentDhcp?: boolean;
}

/** What every node's patches share, resolved. */
export interface RenderShared {
  /** `https://<host>:6443`. */
  readonly endpointUrl: string;
  readonly certSANs: readonly string[];
  readonly allowSchedulingOnControlPlanes: boolean;
  readonly installerImage: string;
  readonly vlan?: RenderVlan & { readonly vip?: string };
  /** Patches every node gets from other layers (e.g. the storage layer's kubelet mount). */
  readonly extraPatches: readonly object[];
}

/** The VLAN keys the Talos layer reads (`vlan.parent`, `vlan.parentDhcp`), without undefined keys. */
export function vlanChoices(vlan: VlanConfig): { parent?: VlanParent; parentDhcp?: boolean } {
  return { ...(vlan.parent && { parent: vlan.parent }), ...(vlan.parentDhcp !== undefined && { parentDhcp: vlan.parentDhcp }) };
}

/** A Kubernetes node label naming the Latitude server, so a new server means a new config. */
export function serverLabelPatch(serverId: string): { machine: { nodeLabels: Record<string, string> } } {
  return { machine: { nodeLabels: { "cto-metal.io/latitude-server-id": serverId } } };
}

/** One node's patches as the plugin receives them. */
export function nodePatchTexts(node: RenderNode, shared: RenderShared): string[] {
  const vlan = shared.vlan;
  const parent = vlan
    ? vlanParent({ node: node.name, serverId: node.serverId, nodeSetting: node.vlanParent, stackSetting: vlan.parent, reportedInternalMac: node.internalMac })
    : undefined;
  const patches: object[] = nodePatches(
    {
      name: node.name,
      role: node.role,
      hostname: node.hostname,
      installDisk: node.installDisk,
      ...(node.privateIp !== undefined && { privateIp: node.privateIp }),
      ...(parent !== undefined && { vlanParent: parent }),
    },
    {
      endpoint: shared.endpointUrl,
      certSANs: shared.certSANs,
      allowSchedulingOnControlPlanes: shared.allowSchedulingOnControlPlanes,
      installerImage: shared.installerImage,
      ...(vlan && {
        vlan: { vid: vlan.vid, subnet: vlan.subnet, ...(vlan.vip !== undefined && { vip: vlan.vip }), ...(vlan.parentDhcp !== undefined && { parentDhcp: vlan.parentDhcp }) },
      }),
    },
  );
  return [...patches, ...shared.extraPatches, serverLabelPatch(node.serverId)].map((patch) => JSON.stringify(patch));
}

export interface RenderCluster {
  readonly clusterName: string;
  readonly talosVersion: string;
  readonly kubernetesVersion: string;
  /** `cto-metal:clusterEndpoint`, when set. */
  readonly configuredEndpoint?: string;
  readonly installerImage: string;
  readonly vlan?: RenderVlan;
  readonly extraPatches: readonly object[];
}

/** The cluster-wide values of TalosCluster, from the nodes' public IPs. */
export function sharedInputs(
  cluster: RenderCluster,
  nodes: readonly EndpointNode[],
  /** The anchor control plane pinned in state; a render before the first up has none yet. */
  anchor?: string,
): { endpoint: ReturnType<typeof clusterEndpoint>; shared: RenderShared } {
  const endpoint = clusterEndpoint({ configured: cluster.configuredEndpoint, nodes, ...(anchor !== undefined && { anchor }) });
  const controlPlanes = nodes.filter((node) => node.role === "controlplane").length;
  // With three control planes the VIP serves in-cluster traffic on the VLAN; the endpoint stays public.
  const vip = cluster.vlan ? talosVip({ subnet: cluster.vlan.subnet, controlPlaneCount: controlPlanes, nodeCount: nodes.length }) : undefined;
  const shared: RenderShared = {
    endpointUrl: endpoint.url,
    certSANs: certSANs({ endpointHost: endpoint.host, nodes, vip }),
    allowSchedulingOnControlPlanes: allowSchedulingOnControlPlanes(nodes),
    installerImage: cluster.installerImage,
    ...(cluster.vlan && { vlan: { ...cluster.vlan, ...(vip !== undefined && { vip }) } }),
    extraPatches: cluster.extraPatches,
  };
  return { endpoint, shared };
}

/** The whole render of a cluster whose server facts are known. */
export function renderTalos(cluster: RenderCluster, nodes: readonly RenderNode[]): TalosRender {
  const { endpoint, shared } = sharedInputs(cluster, nodes);
  return {
    clusterName: cluster.clusterName,
    endpoint: endpoint.url,
    talosVersion: cluster.talosVersion,
    kubernetesVersion: cluster.kubernetesVersion,
    nodes: nodes.map((node) => ({ name: node.name, role: node.role, patches: nodePatchTexts(node, shared) })),
  };
}
