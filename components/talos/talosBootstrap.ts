// TalosBootstrap: applies each node's machine configuration (in parallel, each as soon as its own
// server answers), bootstraps etcd on exactly one control plane, then reads the kubeconfig and
// builds the talosconfig. Control-plane resources go with their server on destroy, so a destroy
// never waits on nodes that are being deleted anyway; workers reset first (they leave the cluster).
import * as pulumi from "@pulumi/pulumi";
import type { NodeRole } from "../../config/types";
import * as talos from "../../providers/talos";
import { firstControlPlane } from "./endpoint";

export interface BootstrapNode {
  name: string;
  role: NodeRole;
  /** The address the Talos API answers on: the server's public IPv4 (maintenance mode first). */
  publicIp: pulumi.Input<string>;
  machineConfiguration: pulumi.Input<string>;
  /** The server resource: per-node Talos resources are deleted with it. */
  server: pulumi.Resource;
}

export interface TalosBootstrapArgs {
  clusterName: string;
  clientConfiguration: pulumi.Input<talos.ClientConfiguration>;
  nodes: BootstrapNode[];
  /** Run the cluster health check after bootstrap (skipped during preview). */
  checkHealth: boolean;
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
            // A removed worker leaves the cluster gracefully before its server is deleted.
            onDestroy: { graceful: true, reboot: false, reset: node.role === "worker" },
          },
          // A worker's apply is deleted on its own first, so its reset (leaving the cluster) runs
          // before the server goes; a control plane's goes with its server.
          { parent: this, ...(node.role === "controlplane" && { deletedWith: node.server }) },
        ),
    );

    // etcd is bootstrapped once, on the first control plane, by its real address.
    const first = firstControlPlane(args.nodes);
    const firstApply = this.applies[args.nodes.indexOf(first)]!;
    this.bootstrap = new talos.machine.Bootstrap(
      `${name}-bootstrap`,
      // Install and reboot on bare metal take longer than the plugin's 10-minute default.
      { node: first.publicIp, endpoint: first.publicIp, clientConfiguration, timeouts: { create: "30m" } },
      { parent: this, dependsOn: [firstApply], deletedWith: first.server },
    );
    const kubeconfig = new talos.cluster.Kubeconfig(
      `${name}-kubeconfig`,
      { node: first.publicIp, endpoint: first.publicIp, clientConfiguration },
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
