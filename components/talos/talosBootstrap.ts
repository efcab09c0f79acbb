// TalosBootstrap: applies each node's machine configuration (in parallel, each as soon as its own
// server answers), bootstraps etcd on exactly one control plane (the anchor pinned in state), then
// reads the kubeconfig and builds the talosconfig.
//
// Leaving the cluster: a node removed from the config resets gracefully before its server goes (a
// control plane leaves etcd, so no dead member is left behind). A whole-cluster destroy skips the
// resets: every apply is deleted with the machine secrets, which only a destroy of the cluster
// deletes, so nobody waits on nodes that are going away anyway.
import * as pulumi from "@pulumi/pulumi";
import type { NodeRole } from "../../config/types";
import * as talos from "../../providers/talos";
import { anchorNode } from "./endpoint";

export interface BootstrapNode {
  name: string;
  role: NodeRole;
  /** The address the Talos API answers on: the server's public IPv4 (maintenance mode first). */
  publicIp: pulumi.Input<string>;
  machineConfiguration: pulumi.Input<string>;
}

export interface TalosBootstrapArgs {
  clusterName: string;
  clientConfiguration: pulumi.Input<talos.ClientConfiguration>;
  nodes: BootstrapNode[];
  /** Run the cluster health check after bootstrap (skipped during preview). */
  checkHealth: boolean;
  /** The anchor control plane pinned in state (TalosCluster.anchor): it bootstraps etcd and serves the kubeconfig. */
  anchor: pulumi.Input<string>;
  /** Deleted only when the whole cluster is (TalosCluster.secrets): applies go with it without a reset. */
  cluster: pulumi.Resource;
}

export class TalosBootstrap extends pulumi.ComponentResource {
  readonly applies: talos.machine.ConfigurationApply[];
  readonly bootstrap: talos.machine.Bootstrap;
  readonly kubeconfig: pulumi.Output<string>;
  readonly talosconfig: pulumi.Output<string>;
  readonly healthy: pulumi.Output<boolean>;

  constructor(name: string, args: TalosBootstrapArgs, opts?: pulumi.ComponentResourceOptions) {
    super("cto:talos:TalosBootstrap", name, {}, opts);
    const clientConfiguration = pulumi.secret(args.clientConfiguration);

    this.applies = args.nodes.map(
      (node) =>
        new talos.machine.ConfigurationApply(
          `${name}-${node.name}-apply`,
          {
            node: node.publicIp,
            endpoint: node.publicIp,
            clientConfiguration,
            machineConfigurationInput: node.machineConfiguration,
            // A removed node leaves the cluster (a control plane its etcd membership) before its server is deleted.
            onDestroy: { graceful: true, reboot: false, reset: true },
          },
          { parent: this, deletedWith: args.cluster },
        ),
    );

    // etcd is bootstrapped once, on the anchor, by its real address; every control plane's apply
    // comes first, whichever is the anchor.
    const controlPlaneApplies = this.applies.filter((_, i) => args.nodes[i]!.role === "controlplane");
    const anchorIp = pulumi.all([args.anchor, ...args.nodes.map((node) => node.publicIp)]).apply(([anchor, ...ips]) => {
      const names = args.nodes.map((node, i) => ({ name: node.name, role: node.role, publicIp: ips[i]! }));
      return anchorNode(names, anchor).publicIp;
    });
    this.bootstrap = new talos.machine.Bootstrap(
      `${name}-bootstrap`,
      // Install and reboot on bare metal take longer than the plugin's 10-minute default.
      { node: anchorIp, endpoint: anchorIp, clientConfiguration, timeouts: { create: "30m" } },
      { parent: this, dependsOn: controlPlaneApplies, deletedWith: args.cluster },
    );
    const kubeconfig = new talos.cluster.Kubeconfig(
      `${name}-kubeconfig`,
      { node: anchorIp, endpoint: anchorIp, clientConfiguration },
      { parent: this, dependsOn: [this.bootstrap] },
    );
    this.kubeconfig = pulumi.secret(kubeconfig.kubeconfigRaw);

    const controlPlanes = args.nodes.filter((node) => node.role === "controlplane").map((node) => node.publicIp);
    const allNodes = args.nodes.map((node) => node.publicIp);
    const client = talos.client.getConfigurationOutput(
      { clusterName: args.clusterName, clientConfiguration, endpoints: controlPlanes, nodes: allNodes },
      { parent: this },
    );
    this.talosconfig = pulumi.secret(client.talosConfig);

    // A down node must not stall every preview: the check runs on `up` only, after bootstrap.
    if (args.checkHealth && !pulumi.runtime.isDryRun()) {
      const workers = args.nodes.filter((node) => node.role === "worker").map((node) => node.publicIp);
      const health = talos.cluster.getHealthOutput(
        { clientConfiguration, controlPlaneNodes: controlPlanes, workerNodes: workers, endpoints: controlPlanes, timeouts: { read: "10m" } },
        { parent: this, dependsOn: [this.bootstrap, ...this.applies] },
      );
      this.healthy = health.apply(() => true);
    } else {
      this.healthy = pulumi.output(false);
    }

    this.registerOutputs({ kubeconfig: this.kubeconfig, talosconfig: this.talosconfig, healthy: this.healthy });
  }
}
