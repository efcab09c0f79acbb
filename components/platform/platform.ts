// Platform: the charts every cluster gets, in the order their data dictates: the default storage
// class before Vault's Raft volumes, the ngrok ingress class before Argo CD's Ingress, the GitOps
// repository before the root Application. The k8s provider arrives through opts; `deletedWith`
// (the cluster) goes on every child, so a destroy deletes servers, not charts one by one.
import * as pulumi from "@pulumi/pulumi";
import type { PlatformChart } from "../../config/types";
import type { KubeAccess } from "../../providers/kubernetes/kubeAccess";
import { ArgoCd, type ArgoCdArgs } from "./argoCd";
import { CertManager } from "./certManager";
import type { AcmeEnvironment } from "./certManagerIssuers";
import { LocalPathStorage } from "./localPathStorage";
import { NgrokOperator } from "./ngrokOperator";
import type { HelmValues } from "./values";
import { VaultCluster } from "./vaultCluster";
import type { VaultFlavor } from "./vaultValues";

export interface PlatformArgs {
  /** API server and credentials, for the Vault init/unseal calls through the pod proxy. */
  cluster: pulumi.Input<KubeAccess>;
  /** The cluster resource on Latitude; absent for an existing cluster (the dev stack). */
  deletedWith?: pulumi.Resource;
  /** ngrok credentials (secrets); absent: no ngrok operator, Argo CD stays inside the cluster. */
  ngrok?: { apiKey: pulumi.Input<string>; authtoken: pulumi.Input<string> };
  acme?: { email: string; environment: AcmeEnvironment };
  /** Argo CD as ArgoCd takes it; the ingress class, values and deletedWith come from this component. A domain requires `ngrok`. */
  argocd: Omit<ArgoCdArgs, "ingressClassName" | "values" | "deletedWith">;
  vault: { flavor: VaultFlavor; ha: boolean };
  /** Protect what holds data no run can recreate (Vault's namespace and keys): the production profile. */
  protect: boolean;
  values: Partial<Record<PlatformChart, HelmValues>>;
}

export class Platform extends pulumi.ComponentResource {
  readonly storageClassName: pulumi.Output<string>;
  /** https://<domain>, undefined when Argo CD is not exposed. */
  readonly argocdUrl: pulumi.Output<string | undefined>;
  readonly vaultAddress: pulumi.Output<string>;
  /** Secret. */
  readonly vaultUnsealKeys: pulumi.Output<string[]>;
  /** Secret. */
  readonly vaultRootToken: pulumi.Output<string>;
  readonly vaultSealedPods: pulumi.Output<string[]>;

  constructor(name: string, args: PlatformArgs, opts?: pulumi.ComponentResourceOptions) {
    super("cto:platform:Platform", name, {}, opts);
    if (args.argocd.domain !== undefined && !args.ngrok) {
      throw new Error(`platform ${name}: Argo CD domain ${args.argocd.domain} needs the ngrok credentials (cto-metal:ngrokApiKey, cto-metal:ngrokAuthtoken)`);
    }
    const child = { parent: this };
    const deletedWith = args.deletedWith;
    const gone = deletedWith ? { deletedWith } : {};

    const storage = new LocalPathStorage(`${name}-storage`, { ...gone, ...(args.values.localPath && { values: args.values.localPath }) }, child);
    const ngrok = args.ngrok
      ? new NgrokOperator(`${name}-ngrok`, { apiKey: args.ngrok.apiKey, authtoken: args.ngrok.authtoken, ...gone, ...(args.values.ngrok && { values: args.values.ngrok }) }, child)
      : undefined;
    new CertManager(
      `${name}-cert-manager`,
      {
        ...gone,
        ...(args.acme && { acme: { ...args.acme, ...(ngrok && { ingressClassName: ngrok.ingressClassName }) } }),
        ...(args.values.certManager && { values: args.values.certManager }),
      },
      child,
    );
    const argocd = new ArgoCd(
      `${name}-argocd`,
      {
        ...args.argocd,
        ...(ngrok && { ingressClassName: ngrok.ingressClassName }),
        ...gone,
        ...(args.values.argocd && { values: args.values.argocd }),
      },
      child,
    );
    const vault = new VaultCluster(
      `${name}-vault`,
      {
        flavor: args.vault.flavor,
        ha: args.vault.ha,
        storageClass: storage.storageClassName,
        cluster: args.cluster,
        protect: args.protect,
        ...gone,
        ...(args.values.vault && { values: args.values.vault }),
      },
      child,
    );

    this.storageClassName = storage.storageClassName;
    this.argocdUrl = argocd.url;
    this.vaultAddress = vault.address;
    this.vaultUnsealKeys = vault.unsealKeys;
    this.vaultRootToken = vault.rootToken;
    this.vaultSealedPods = vault.sealedPods;
    this.registerOutputs({
      storageClassName: this.storageClassName,
      argocdUrl: this.argocdUrl,
      vaultAddress: this.vaultAddress,
      vaultUnsealKeys: this.vaultUnsealKeys,
      vaultRootToken: this.vaultRootToken,
      vaultSealedPods: this.vaultSealedPods,
    });
  }
}
