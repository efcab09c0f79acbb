// VaultCluster: Vault (or OpenBao) with Raft storage on the cluster's storage class, installed
// from the pinned chart and initialised + unsealed by the program through the API server's per-pod
// proxy. The unseal keys and root token exist only as secret outputs.
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { KubeAccess } from "../../providers/kubernetes/kubeAccess";
import { RaftMembersGuard } from "../../providers/vault/raftMembersGuard";
import { VaultInit } from "../../providers/vault/vaultInit";
import { CHARTS } from "../../versions";
import { childOptions, namespaceArgs } from "./chartRelease";
import { vaultChartValues, vaultPodNames, type VaultFlavor } from "./vaultValues";

export interface VaultClusterArgs {
  flavor: VaultFlavor;
  /** 3 Raft voters when true, 1 otherwise. */
  ha: boolean;
  storageClass: pulumi.Input<string>;
  /** The API server and credential VaultInit talks to (from the cluster's kubeconfig). */
  cluster: pulumi.Input<KubeAccess>;
  /** Deep-merged over the generated chart values (from config). */
  values?: Record<string, unknown>;
  /** Default: the flavor's name ("vault" / "openbao"). */
  namespace?: string;
  /** Everything here goes with the cluster on destroy (deletedWith is not inherited from a component). */
  deletedWith?: pulumi.Resource;
  /**
   * Protect the Namespace (deleting it deletes the Raft PVCs) and the VaultInit (the only copy of
   * the unseal keys and root token) from deletion and replacement; the lead sets it for production.
   */
  protect?: boolean;
}

const VAULT_PORT = 8200;

export class VaultCluster extends pulumi.ComponentResource {
  /** In-cluster address of the Vault service. */
  readonly address: pulumi.Output<string>;
  readonly unsealKeys: pulumi.Output<string[]>;
  readonly rootToken: pulumi.Output<string>;
  readonly sealedPods: pulumi.Output<string[]>;
  readonly namespace: pulumi.Output<string>;

  constructor(name: string, args: VaultClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    super("cto:platform:VaultCluster", name, {}, opts);
    const pin = CHARTS[args.flavor];
    const releaseName = args.flavor;
    const namespaceName = args.namespace ?? args.flavor;
    // The k8s provider comes from this component's options through `parent`.
    const childOpts = childOptions(this, args.deletedWith);

    const guarded: pulumi.CustomResourceOptions = { ...childOpts, ...(args.protect && { protect: true }) };

    const ns = new k8s.core.v1.Namespace(`${name}-ns`, namespaceArgs(namespaceName), guarded);
    const pods = vaultPodNames(releaseName, args.ha);
    // Refuses an unconfirmed Raft shrink before the chart could scale the StatefulSet down.
    const members = new RaftMembersGuard(`${name}-raft-members`, { namespace: namespaceName, pods }, childOpts);
    const release = new k8s.helm.v3.Release(
      name,
      {
        name: releaseName,
        namespace: ns.metadata.name,
        chart: pin.chart,
        version: pin.version,
        repositoryOpts: { repo: pin.repo },
        // Vault pods are not Ready until unsealed, which VaultInit does after the release.
        skipAwait: true,
        values: pulumi.output(args.storageClass).apply((storageClass) =>
          vaultChartValues({ flavor: args.flavor, ha: args.ha, storageClass, releaseName, port: VAULT_PORT, ...(args.values && { overrides: args.values }) }),
        ),
      },
      { ...childOpts, dependsOn: [members] },
    );

    const init = new VaultInit(
      `${name}-init`,
      {
        cluster: pulumi.secret(args.cluster),
        namespace: ns.metadata.name,
        pods,
        port: VAULT_PORT,
        leaderAddress: `http://${pods[0]!}.${releaseName}-internal:${VAULT_PORT}`,
      },
      // The pods exist only once the release is installed.
      { ...guarded, dependsOn: [release] },
    );

    this.namespace = ns.metadata.name;
    this.address = pulumi.interpolate`http://${releaseName}.${ns.metadata.name}.svc:${VAULT_PORT}`;
    this.unsealKeys = pulumi.secret(init.unsealKeys);
    this.rootToken = pulumi.secret(init.rootToken);
    this.sealedPods = init.sealedPods;
    this.registerOutputs({ address: this.address, unsealKeys: this.unsealKeys, rootToken: this.rootToken, sealedPods: this.sealedPods, namespace: this.namespace });
  }
}
