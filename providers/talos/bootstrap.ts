// talos:machine/bootstrap:Bootstrap — starts etcd on one control-plane node. Create retries every
// error except InvalidArgument until `timeouts.create`; update, read and delete do nothing.
import * as pulumi from "@pulumi/pulumi";
import { secretInput, talosResourceOptions } from "./pluginOptions";
import type { BootstrapTimeouts, ClientConfiguration, DeepInput } from "./types";

export const BOOTSTRAP_TYPE = "talos:machine/bootstrap:Bootstrap";

/** The SDK lists only the write-only twin this binding never sends; the client key is what needs it. */
export const BOOTSTRAP_SECRET_OUTPUTS = ["clientConfiguration"] as const;

export interface BootstrapArgs {
  /** A control-plane node's own address, never the VIP (it only exists after bootstrap). */
  node: pulumi.Input<string>;
  /** Defaults to `node`. */
  endpoint?: pulumi.Input<string>;
  clientConfiguration?: pulumi.Input<DeepInput<ClientConfiguration>>;
  /** Raise `create` for slow-POST hardware; the default 10m includes install and reboot. */
  timeouts?: pulumi.Input<DeepInput<BootstrapTimeouts>>;
}

/**
 * Exactly one per cluster, and keep it stable: a re-created Bootstrap against a running cluster
 * retries "etcd data directory is not empty" until its timeout, then fails.
 */
export class Bootstrap extends pulumi.CustomResource {
  declare readonly node: pulumi.Output<string>;
  declare readonly endpoint: pulumi.Output<string>;
  declare readonly clientConfiguration: pulumi.Output<ClientConfiguration | undefined>;
  declare readonly timeouts: pulumi.Output<BootstrapTimeouts | undefined>;

  constructor(name: string, args: BootstrapArgs, opts?: pulumi.CustomResourceOptions) {
    const props = {
      node: args.node,
      endpoint: args.endpoint,
      clientConfiguration: secretInput(args.clientConfiguration),
      timeouts: args.timeouts,
    };
    super(BOOTSTRAP_TYPE, name, props, talosResourceOptions(opts, BOOTSTRAP_SECRET_OUTPUTS));
  }
}
