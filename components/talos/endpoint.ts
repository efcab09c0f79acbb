// The Kubernetes API endpoint, the certificate SANs that go with it, and the Talos VIP.
//
// The endpoint ends up in the kubeconfig, and the Kubernetes provider (with every chart under it)
// is replaced when the kubeconfig's cluster changes. So it is chosen once and must not move when
// nodes are added, removed or replaced: a name or address from config, else an elastic IP, else
// the public IP of the first control plane. It must be reachable from wherever `pulumi` runs (a
// laptop, a PR check), which is why it is never the VIP: the VIP lives on the private VLAN and
// only serves traffic inside the cluster.
import { formatIpv4, parseIpv4Cidr } from "../../config/cidr";
import type { NodeRole } from "../../config/types";
import { RESERVED_HOSTS } from "../../config/privateIps";
import { VIP_MIN_CONTROL_PLANES } from "../../config/roles";

export const KUBERNETES_API_PORT = 6443;


export interface EndpointNode {
  /** Stable node name from the config. */
  readonly name: string;
  readonly role: NodeRole;
  readonly publicIp: string;
}

export type EndpointSource = "config" | "elasticIp" | "firstControlPlane";

export interface ClusterEndpoint {
  /** DNS name or IPv4 address. */
  readonly host: string;
  /** `https://<host>:6443`, for `cluster.controlPlane.endpoint` and the kubeconfig. */
  readonly url: string;
  readonly source: EndpointSource;
}

export function endpointUrl(host: string): string {
  return `https://${host}:${KUBERNETES_API_PORT}`;
}

/**
 * The first control plane in config order (`nodes` as listed in `cto-metal:nodes`). Found by role
 * and then known by its name, never by an index into the fleet: scale-up appends nodes and removing
 * a worker does not shift it. The same node is the natural one to bootstrap.
 */
export function firstControlPlane<T extends { readonly role: NodeRole }>(nodes: readonly T[]): T {
  const first = nodes.find((node) => node.role === "controlplane");
  if (!first) throw new Error("no node is a control plane, so there is no Kubernetes API endpoint");
  return first;
}

/**
 * The Kubernetes API endpoint: `cto-metal:clusterEndpoint` (a DNS name or IP), else a Latitude
 * elastic IP, else the public IP of the anchor control plane: the first control plane in config
 * order at the first `up`, kept in state from then on (clusterPins.ts).
 *
 * Stability: the result does not change when nodes are added, reordered or inserted at the top,
 * when workers are removed or replaced, or when other control planes are added or replaced. Only
 * replacing or removing the anchor's server changes it (its public IP goes with the server; removal
 * needs cto-metal:allowEndpointChange); a stack that must survive that pins a DNS name.
 */
export function clusterEndpoint(args: {
  readonly configured?: string;
  readonly elasticIp?: string;
  readonly nodes: readonly EndpointNode[];
  /** The pinned anchor control plane (clusterPins.ts); without one, the first control plane. */
  readonly anchor?: string;
}): ClusterEndpoint {
  const choose = (host: string, source: EndpointSource): ClusterEndpoint => ({ host, url: endpointUrl(host), source });
  if (args.configured !== undefined) return choose(args.configured, "config");
  if (args.elasticIp !== undefined) return choose(args.elasticIp, "elasticIp");
  return choose(anchorNode(args.nodes, args.anchor).publicIp, "firstControlPlane");
}

/** The anchor control plane by name, or the first control plane when none is pinned yet. */
export function anchorNode<T extends { readonly name: string; readonly role: NodeRole }>(nodes: readonly T[], anchor: string | undefined): T {
  if (anchor === undefined) return firstControlPlane(nodes);
  const node = nodes.find((candidate) => candidate.name === anchor && candidate.role === "controlplane");
  if (!node) throw new Error(`the pinned control plane ${anchor} is not among this run's control planes`);
  return node;
}

/**
 * SANs for the Talos API certificate (`machine.certSANs`) and the kube-apiserver certificate
 * (`cluster.apiServer.certSANs`): the endpoint host, every control plane's public IP (by node name,
 * so reordering `nodes` changes no config), then the VIP if any. Each once, first occurrence kept.
 */
export function certSANs(args: {
  readonly endpointHost: string;
  readonly nodes: readonly EndpointNode[];
  readonly vip?: string;
}): string[] {
  const controlPlaneIps = args.nodes
    .filter((node) => node.role === "controlplane")
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((node) => node.publicIp);
  const all = [args.endpointHost, ...controlPlaneIps, ...(args.vip !== undefined ? [args.vip] : [])];
  return [...new Set(all)];
}

/**
 * The Talos shared VIP on the VLAN: the first usable address of the subnet, when there is a VLAN and
 * at least VIP_MIN_CONTROL_PLANES control planes; otherwise none. The address is fixed by the subnet
 * alone, so adding or replacing nodes never moves it. Node addresses skip the first RESERVED_HOSTS
 * addresses only while the subnet has room for them and every node (the config checks that when a
 * VIP is in use); this refuses a subnet where a node could take the VIP's address.
 */
export function talosVip(args: {
  readonly subnet?: string;
  readonly controlPlaneCount: number;
  readonly nodeCount: number;
}): string | undefined {
  if (args.subnet === undefined || args.controlPlaneCount < VIP_MIN_CONTROL_PLANES) return undefined;
  const parsed = parseIpv4Cidr(args.subnet);
  if (!parsed.ok) throw new Error(`vlan subnet: expected ${parsed.expected}, got ${JSON.stringify(args.subnet)}`);
  if (parsed.cidr.usable <= RESERVED_HOSTS + args.nodeCount) {
    throw new Error(
      `vlan subnet ${args.subnet} has ${parsed.cidr.usable} usable addresses; a Talos VIP needs more than ` +
        `${RESERVED_HOSTS + args.nodeCount} (${RESERVED_HOSTS} kept free, then one per node)`,
    );
  }
  return formatIpv4((parsed.cidr.network + 1) >>> 0);
}
