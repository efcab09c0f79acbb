// talos:cluster/kubeconfig:Kubeconfig — the admin kubeconfig fetched over the Talos API. A resource,
// not the deprecated getKubeconfig invoke, so it is fetched once and renewed only near expiry.
import * as pulumi from "@pulumi/pulumi";
import { secretInput, talosResourceOptions } from "./pluginOptions";
import type { ClientConfiguration, DeepInput, KubeconfigTimeouts, KubernetesClientConfiguration } from "./types";

export const KUBECONFIG_TYPE = "talos:cluster/kubeconfig:Kubeconfig";

/**
 * The SDK lists `kubeconfigRaw`; the other two carry a client key (secret in the schema) and are
 * listed so the engine encrypts them without depending on nested secret flags.
 */
export const KUBECONFIG_SECRET_OUTPUTS = ["kubeconfigRaw", "kubernetesClientConfiguration", "clientConfiguration"] as const;

export interface KubeconfigArgs {
  /** A control-plane node's own address (not the VIP). */
  node: pulumi.Input<string>;
  clientConfiguration: pulumi.Input<DeepInput<ClientConfiguration>>;
  /** Defaults to `node`. */
  endpoint?: pulumi.Input<string>;
  /** Renew the embedded client cert when it expires within this (Go duration; default 720h). */
  certificateRenewalDuration?: pulumi.Input<string>;
  timeouts?: pulumi.Input<DeepInput<KubeconfigTimeouts>>;
}

export class Kubeconfig extends pulumi.CustomResource {
  declare readonly node: pulumi.Output<string>;
  declare readonly endpoint: pulumi.Output<string>;
  declare readonly clientConfiguration: pulumi.Output<ClientConfiguration>;
  declare readonly certificateRenewalDuration: pulumi.Output<string>;
  declare readonly timeouts: pulumi.Output<KubeconfigTimeouts | undefined>;
  /** The kubeconfig YAML (secret). */
  declare readonly kubeconfigRaw: pulumi.Output<string>;
  /** The same credentials as fields; `host` is the cluster endpoint URL. */
  declare readonly kubernetesClientConfiguration: pulumi.Output<KubernetesClientConfiguration>;

  constructor(name: string, args: KubeconfigArgs, opts?: pulumi.CustomResourceOptions) {
    const props = {
      node: args.node,
      endpoint: args.endpoint,
      clientConfiguration: secretInput(args.clientConfiguration),
      certificateRenewalDuration: args.certificateRenewalDuration,
      timeouts: args.timeouts,
      kubeconfigRaw: undefined,
      kubernetesClientConfiguration: undefined,
    };
    super(KUBECONFIG_TYPE, name, props, talosResourceOptions(opts, KUBECONFIG_SECRET_OUTPUTS));
  }
}
