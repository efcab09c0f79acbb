// TalosCluster: the cluster's PKI (machine Secrets, never replaced by an innocent change) and one
// machine configuration per node, rendered locally by the talos plugin from patches built by the
// pure functions beside this file. Nothing here talks to a node; TalosBootstrap does.
import * as pulumi from "@pulumi/pulumi";
import type { InstallDisk, NodeRole } from "../../config/types";
import { ControlPlaneGuard } from "../../providers/cluster/controlPlaneGuard";
import * as talos from "../../providers/talos";
import { clusterEndpoint, type ClusterEndpoint, type EndpointNode } from "./endpoint";
import type { VlanParent } from "./networkPatch";
import { nodePatchTexts, sharedInputs, vlanChoices } from "./talosRender";

export { serverLabelPatch } from "./talosRender";

export interface TalosNodeArgs {
  name: string;
  role: NodeRole;
  /** The server's hostname as Latitude has it (a server made before hostnames carried the project keeps its own). */
  hostname: pulumi.Input<string>;
  installDisk: InstallDisk;
  publicIp: pulumi.Input<string>;
  /** The Latitude server id: carried into the config, so a replaced server gets its config again. */
  serverId: pulumi.Input<string>;
  /** With a VLAN: the node's VLAN address (kept in state by the fleet's VlanAddresses). */
  privateIp?: pulumi.Input<string>;
  /** With a VLAN: `nodes[].vlanParent` from config, which wins over what Latitude reports. */
  vlanParent?: VlanParent;
  /** With a VLAN: the MAC Latitude lists with role `internal`, if any (vlanParent.ts). */
  internalMac?: pulumi.Input<string | null>;
}

export interface TalosVlanArgs {
  /** 802.1Q id of the Latitude VLAN. */
  vid: pulumi.Input<number | undefined>;
  /** The VLAN subnet (CIDR) the node addresses come from. */
  subnet: string;
  /** `cto-metal:vlan.parent`: the card every node's VLAN rides on, unless the node says otherwise. */
  parent?: VlanParent;
  /** `cto-metal:vlan.parentDhcp`: the VLAN rides on the public card, which keeps its DHCP address. */
  parentDhcp?: boolean;
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
  /** `cto-metal:allowEndpointChange`: the anchor control plane may go, and the endpoint with it. */
  allowEndpointChange?: boolean;
  /** Patches every node gets, from other layers (e.g. the storage layer's kubelet mount). */
  extraPatches?: object[];
}

export class TalosCluster extends pulumi.ComponentResource {
  readonly secrets: talos.machine.Secrets;
  readonly controlPlaneGuard: ControlPlaneGuard;
  readonly clientConfiguration: pulumi.Output<talos.ClientConfiguration>;
  readonly endpoint: pulumi.Output<ClusterEndpoint>;
  /** The anchor control plane, pinned in state: endpoint (unless configured), bootstrap and kubeconfig node. */
  readonly anchor: pulumi.Output<string>;
  /** The machine secrets' resource id: the Kubernetes provider's clusterIdentifier (a new cluster, a new id). */
  readonly clusterId: pulumi.Output<string>;
  /** Rendered machine configuration per node name (secret). */
  readonly machineConfigurations: Record<string, pulumi.Output<string>>;

  constructor(name: string, args: TalosClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    super("cto:talos:TalosCluster", name, {}, opts);
    this.secrets = new talos.machine.Secrets(`${name}-secrets`, { talosVersion: args.talosVersion }, { parent: this, protect: args.protectSecrets ?? false });
    this.clientConfiguration = this.secrets.clientConfiguration;
    this.controlPlaneGuard = new ControlPlaneGuard(
      `${name}-control-planes`,
      {
        controlPlanes: args.nodes.filter((node) => node.role === "controlplane").map((node) => node.name),
        allowRemoval: args.allowControlPlaneRemoval ?? [],
        allowEndpointChange: args.allowEndpointChange ?? false,
        endpointConfigured: args.configuredEndpoint !== undefined,
        kubernetesVersion: args.kubernetesVersion,
      },
      { parent: this },
    );
    this.anchor = this.controlPlaneGuard.anchor;
    // The resource id, not the secrets' cluster id: an id stays known at preview while the secrets are
    // updated (a Talos version bump), so the Kubernetes provider never previews as replaced.
    this.clusterId = this.secrets.id;

    const endpointNodes: pulumi.Output<EndpointNode[]> = pulumi
      .all(args.nodes.map((node) => node.publicIp))
      .apply((ips) => args.nodes.map((node, i) => ({ name: node.name, role: node.role, publicIp: ips[i]! })));
    const vlan = args.vlan;
    // Cluster-wide values do not depend on any node's server id or MAC, so a new node leaves the
    // other nodes' configs known at preview.
    const cluster = pulumi.all([endpointNodes, args.installerImage, vlan?.vid, this.anchor]).apply(([nodes, installerImage, vid, anchor]) =>
      sharedInputs(
        {
          clusterName: args.clusterName,
          talosVersion: args.talosVersion,
          kubernetesVersion: args.kubernetesVersion,
          configuredEndpoint: args.configuredEndpoint,
          installerImage,
          ...(vlan && vid !== undefined && { vlan: { vid, subnet: vlan.subnet, ...vlanChoices(vlan) } }),
          extraPatches: args.extraPatches ?? [],
        },
        nodes,
        anchor,
      ),
    );
    // From the public IPs and the anchor alone, so the kubeconfig never waits on the installer image or the VLAN.
    this.endpoint = pulumi.all([endpointNodes, this.anchor]).apply(([nodes, anchor]) => clusterEndpoint({ configured: args.configuredEndpoint, nodes, anchor }));

    this.machineConfigurations = {};
    for (const node of args.nodes) {
      const patches = pulumi.all([cluster, node.publicIp, node.serverId, node.internalMac, node.privateIp, node.hostname]).apply(([{ shared }, publicIp, serverId, internalMac, privateIp, hostname]) =>
        nodePatchTexts(
          {
            name: node.name,
            role: node.role,
            hostname,
            installDisk: node.installDisk,
            publicIp,
            serverId,
            ...(privateIp !== undefined && { privateIp }),
            ...(node.vlanParent && { vlanParent: node.vlanParent }),
            internalMac: internalMac ?? null,
          },
          shared,
        ),
      );
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

    this.registerOutputs({
      clientConfiguration: this.clientConfiguration,
      endpoint: this.endpoint,
      anchor: this.anchor,
      clusterId: this.clusterId,
      machineConfigurations: this.machineConfigurations,
    });
  }
}
