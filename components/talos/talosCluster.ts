// TalosCluster: the cluster's PKI (machine Secrets, never replaced by an innocent change) and one
// machine configuration per node, rendered locally by the talos plugin from patches built by the
// pure functions beside this file. Nothing here talks to a node; TalosBootstrap does.
import * as pulumi from "@pulumi/pulumi";
import type { InstallDisk, NodeRole } from "../../config/types";
import { ControlPlaneGuard } from "../../providers/cluster/controlPlaneGuard";
import * as talos from "../../providers/talos";
import { certSANs, clusterEndpoint, talosVip, type ClusterEndpoint, type EndpointNode } from "./endpoint";
import { allowSchedulingOnControlPlanes, nodePatches, type LinkSelector } from "./patches";

export interface TalosNodeArgs {
  name: string;
  role: NodeRole;
  hostname: string;
  installDisk: InstallDisk;
  publicIp: pulumi.Input<string>;
  /** The Latitude server id: carried into the config, so a replaced server gets its config again. */
  serverId: pulumi.Input<string>;
  /** With a VLAN: the node's VLAN address, and the MACs of its public and private NICs. */
  privateIp?: string;
  publicMac?: pulumi.Input<string | null>;
  privateMac?: pulumi.Input<string | null>;
}

export interface TalosVlanArgs {
  /** 802.1Q id of the Latitude VLAN. */
  vid: pulumi.Input<number | undefined>;
  /** The VLAN subnet (CIDR) the node addresses come from. */
  subnet: string;
}

export interface TalosClusterArgs {
  clusterName: string;
  talosVersion: string;
  kubernetesVersion: string;
  nodes: TalosNodeArgs[];
  /** A DNS name or IP from config; otherwise the first control plane's public IP. */
  configuredEndpoint?: string;
  /** The Image Factory installer for the booted schematic and version. */
  installerImage: pulumi.Input<string>;
  /** Protect the machine secrets (production): replacing them means a new cluster. */
  protectSecrets?: boolean;
  /** The private VLAN: a static address per node on a sub-interface of its private NIC. */
  vlan?: TalosVlanArgs;
  /** Control planes the config allows to disappear from `nodes` (any other removal fails the preview). */
  allowControlPlaneRemoval?: string[];
  /** Patches every node gets, from other layers (e.g. the storage layer's kubelet mount). */
  extraPatches?: object[];
}

/** Selects a NIC by its MAC: Latitude reports the MACs, while interface names vary by hardware. */
function nicByMac(mac: string | null | undefined, node: string, role: string): LinkSelector {
  if (!mac) throw new Error(`node ${node}: Latitude reports no MAC address for its ${role} NIC, so the VLAN cannot be configured in Talos`);
  return { deviceSelector: { hardwareAddr: mac.toLowerCase() } };
}

/** A Kubernetes node label naming the Latitude server, so a new server means a new config. */
export function serverLabelPatch(serverId: string): { machine: { nodeLabels: Record<string, string> } } {
  return { machine: { nodeLabels: { "cto-metal.io/latitude-server-id": serverId } } };
}

export class TalosCluster extends pulumi.ComponentResource {
  readonly secrets: talos.machine.Secrets;
  readonly controlPlaneGuard: ControlPlaneGuard;
  readonly clientConfiguration: pulumi.Output<talos.ClientConfiguration>;
  readonly endpoint: pulumi.Output<ClusterEndpoint>;
  /** Rendered machine configuration per node name (secret). */
  readonly machineConfigurations: Record<string, pulumi.Output<string>>;

  constructor(name: string, args: TalosClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    super("cto:talos:TalosCluster", name, {}, opts);
    this.secrets = new talos.machine.Secrets(`${name}-secrets`, { talosVersion: args.talosVersion }, { parent: this, protect: args.protectSecrets ?? false });
    this.clientConfiguration = this.secrets.clientConfiguration;
    this.controlPlaneGuard = new ControlPlaneGuard(
      `${name}-control-planes`,
      { controlPlanes: args.nodes.filter((node) => node.role === "controlplane").map((node) => node.name), allowRemoval: args.allowControlPlaneRemoval ?? [] },
      { parent: this },
    );

    const endpointNodes: pulumi.Output<EndpointNode[]> = pulumi
      .all(args.nodes.map((node) => node.publicIp))
      .apply((ips) => args.nodes.map((node, i) => ({ name: node.name, role: node.role, publicIp: ips[i]! })));
    this.endpoint = endpointNodes.apply((nodes) => clusterEndpoint({ configured: args.configuredEndpoint, nodes }));
    const controlPlanes = args.nodes.filter((node) => node.role === "controlplane").length;
    // With three control planes the VIP serves in-cluster traffic on the VLAN; the endpoint stays public.
    const vip = args.vlan ? talosVip({ subnet: args.vlan.subnet, controlPlaneCount: controlPlanes, nodeCount: args.nodes.length }) : undefined;
    const sans = pulumi.all([this.endpoint, endpointNodes]).apply(([endpoint, nodes]) => certSANs({ endpointHost: endpoint.host, nodes, vip }));
    const allowScheduling = allowSchedulingOnControlPlanes(args.nodes);
    const vlan = args.vlan;

    this.machineConfigurations = {};
    for (const node of args.nodes) {
      const network = pulumi.all([vlan?.vid, node.publicMac, node.privateMac]);
      const patches = pulumi.all([this.endpoint, sans, args.installerImage, node.serverId, network]).apply(([endpoint, certSans, installerImage, serverId, [vid, publicMac, privateMac]]) => {
        const vlanPatch =
          vlan && vid !== undefined
            ? {
                publicInterface: nicByMac(publicMac, node.name, "public"),
                vlan: { parent: nicByMac(privateMac, node.name, "private"), vid, subnet: vlan.subnet, ...(vip !== undefined && { vip }) },
              }
            : {};
        const patchList: object[] = nodePatches(
          { name: node.name, role: node.role, hostname: node.hostname, installDisk: node.installDisk, ...(node.privateIp !== undefined && { privateIp: node.privateIp }) },
          { endpoint: endpoint.url, certSANs: certSans, allowSchedulingOnControlPlanes: allowScheduling, installerImage, ...vlanPatch },
        );
        return [...patchList, ...(args.extraPatches ?? []), serverLabelPatch(serverId)].map((patch) => JSON.stringify(patch));
      });
      const rendered = talos.machine.getConfigurationOutput(
        {
          clusterName: args.clusterName,
          clusterEndpoint: this.endpoint.url,
          machineType: node.role,
          machineSecrets: this.secrets.machineSecrets,
          configPatches: patches,
          talosVersion: args.talosVersion,
          kubernetesVersion: args.kubernetesVersion,
          docs: false,
          examples: false,
        },
        { parent: this },
      );
      this.machineConfigurations[node.name] = pulumi.secret(rendered.machineConfiguration);
    }

    this.registerOutputs({ clientConfiguration: this.clientConfiguration, endpoint: this.endpoint, machineConfigurations: this.machineConfigurations });
  }
}
