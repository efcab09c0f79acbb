// talos:machine/secrets:Secrets — the cluster PKI, generated once inside the plugin.
import * as pulumi from "@pulumi/pulumi";
import { talosResourceOptions } from "./pluginOptions";
import type { ClientConfiguration, MachineSecrets } from "./types";

export const SECRETS_TYPE = "talos:machine/secrets:Secrets";

/**
 * The generated SDK adds none here and relies on the plugin's nested secret flags; listing both
 * keeps the whole PKI encrypted in state whatever the engine does with nested flags.
 */
export const SECRETS_SECRET_OUTPUTS = ["machineSecrets", "clientConfiguration"] as const;

export interface SecretsArgs {
  /**
   * Talos version contract ("v1.13"); defaults to the plugin's machinery (v1.13 for 0.8.1).
   * Pin it: lowering it later replaces the resource, which means a brand-new cluster PKI.
   */
  talosVersion?: pulumi.Input<string>;
}

/**
 * Never let this be replaced (renamed without an alias, `--replace`, lower `talosVersion`): the new
 * PKI no longer matches the running nodes. Callers should pass `protect: true`.
 */
export class Secrets extends pulumi.CustomResource {
  declare readonly talosVersion: pulumi.Output<string>;
  declare readonly machineSecrets: pulumi.Output<MachineSecrets>;
  /** Admin client credentials, valid one year. */
  declare readonly clientConfiguration: pulumi.Output<ClientConfiguration>;

  constructor(name: string, args?: SecretsArgs, opts?: pulumi.CustomResourceOptions) {
    const props = { talosVersion: args?.talosVersion, machineSecrets: undefined, clientConfiguration: undefined };
    super(SECRETS_TYPE, name, props, talosResourceOptions(opts, SECRETS_SECRET_OUTPUTS));
  }
}
