// The VaultInit resource as the program uses it (type pulumi-nodejs:dynamic/vault:VaultInit).
import * as pulumi from "@pulumi/pulumi";
import type { KubeAccess } from "../kubernetes/kubeAccess";
import { vaultInitProvider } from "./vaultInitProvider";

/** Bump with any change to the provider code, so the engine stores the new code in state. */
export const VAULT_PROVIDER_VERSION = "2";

export interface VaultInitArgs {
  cluster: pulumi.Input<KubeAccess>;
  namespace: pulumi.Input<string>;
  /** StatefulSet pods, pod 0 first ("vault-0", "vault-1", …). */
  pods: pulumi.Input<string[]>;
  /** Vault's API port on the pod (default 8200). */
  port?: pulumi.Input<number>;
  /** Shamir shares and threshold (default 5 and 3); used at init only. */
  keyShares?: pulumi.Input<number>;
  keyThreshold?: pulumi.Input<number>;
  /** In-cluster http://<pod-0>.<release>-internal:8200 for Raft joins (default derived from the pod names). */
  leaderAddress?: pulumi.Input<string>;
  /** How long to wait for pods to answer and unseal (default 600). */
  waitTimeoutSeconds?: pulumi.Input<number>;
}

export class VaultInit extends pulumi.dynamic.Resource {
  declare readonly unsealKeys: pulumi.Output<string[]>;
  declare readonly rootToken: pulumi.Output<string>;
  declare readonly sealedPods: pulumi.Output<string[]>;
  declare readonly initialized: pulumi.Output<boolean>;

  constructor(name: string, args: VaultInitArgs, opts?: pulumi.CustomResourceOptions) {
    const outputs = { unsealKeys: undefined, rootToken: undefined, sealedPods: undefined, initialized: undefined };
    // The keys and token are computed here, and the credential travels in outputs for refresh.
    const secretOutputs = pulumi.mergeOptions(opts, { additionalSecretOutputs: ["unsealKeys", "rootToken", "cluster"] });
    super(vaultInitProvider, name, { ...outputs, ...args, providerVersion: VAULT_PROVIDER_VERSION }, secretOutputs, "vault", "VaultInit");
  }
}
