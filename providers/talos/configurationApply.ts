// talos:machine/configurationApply:ConfigurationApply — sends a machine config to one node. The plugin
// first probes the node without TLS: a node in maintenance mode gets the config insecurely, an
// installed node over mTLS with `clientConfiguration`. Read is a no-op, so there is no drift detection.
import * as pulumi from "@pulumi/pulumi";
import { secretInput, talosResourceOptions } from "./pluginOptions";
import type { ApplyMode, ClientConfiguration, ConfigurationApplyOnDestroy, ConfigurationApplyTimeouts, DeepInput } from "./types";

export const CONFIGURATION_APPLY_TYPE = "talos:machine/configurationApply:ConfigurationApply";

/**
 * The generated SDK's list minus the write-only (`…Wo`) twins this binding never sends, plus
 * `clientConfiguration`, whose `clientKey` is secret in the schema.
 */
export const CONFIGURATION_APPLY_SECRET_OUTPUTS = ["machineConfiguration", "machineConfigurationInput", "clientConfiguration"] as const;

export interface ConfigurationApplyArgs {
  /** Address the config targets; every later update goes here (pitfall: DHCP vs static address). */
  node: pulumi.Input<string>;
  /** Address the client dials (apid :50000); defaults to `node`. */
  endpoint?: pulumi.Input<string>;
  /** Needed for installed nodes and for `onDestroy.reset`. */
  clientConfiguration?: pulumi.Input<DeepInput<ClientConfiguration>>;
  /** Usually `getConfigurationOutput(...).machineConfiguration`. */
  machineConfigurationInput?: pulumi.Input<string>;
  /** Per-node patches on top of the input (hostname, addresses, install disk and image). */
  configPatches?: pulumi.Input<pulumi.Input<string>[]>;
  /** Default `auto`; `staged_if_needing_reboot` avoids surprise reboots but dials the node at preview. */
  applyMode?: pulumi.Input<ApplyMode>;
  /** Plain values only (see the type). Applied by `up` before a `destroy` can honour it. */
  onDestroy?: ConfigurationApplyOnDestroy;
  timeouts?: pulumi.Input<DeepInput<ConfigurationApplyTimeouts>>;
}

export class ConfigurationApply extends pulumi.CustomResource {
  declare readonly node: pulumi.Output<string>;
  declare readonly endpoint: pulumi.Output<string>;
  declare readonly clientConfiguration: pulumi.Output<ClientConfiguration | undefined>;
  declare readonly machineConfigurationInput: pulumi.Output<string | undefined>;
  declare readonly configPatches: pulumi.Output<string[] | undefined>;
  declare readonly applyMode: pulumi.Output<ApplyMode>;
  declare readonly onDestroy: pulumi.Output<Required<ConfigurationApplyOnDestroy> | undefined>;
  declare readonly timeouts: pulumi.Output<ConfigurationApplyTimeouts | undefined>;
  /** The input plus patches, as rendered (secret). */
  declare readonly machineConfiguration: pulumi.Output<string>;
  /** sha256 of `machineConfiguration`; not secret, so it shows which nodes changed. */
  declare readonly machineConfigurationHash: pulumi.Output<string>;
  /** What `applyMode` resolved to (`staged_if_needing_reboot` becomes `staged` or `auto`). */
  declare readonly resolvedApplyMode: pulumi.Output<string>;

  constructor(name: string, args: ConfigurationApplyArgs, opts?: pulumi.CustomResourceOptions) {
    const props = {
      node: args.node,
      endpoint: args.endpoint,
      clientConfiguration: secretInput(args.clientConfiguration),
      machineConfigurationInput: secretInput(args.machineConfigurationInput),
      configPatches: args.configPatches,
      applyMode: args.applyMode,
      onDestroy: args.onDestroy,
      timeouts: args.timeouts,
      machineConfiguration: undefined,
      machineConfigurationHash: undefined,
      resolvedApplyMode: undefined,
    };
    super(CONFIGURATION_APPLY_TYPE, name, props, talosResourceOptions(opts, CONFIGURATION_APPLY_SECRET_OUTPUTS));
  }
}
