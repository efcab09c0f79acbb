// talos:client/getConfiguration:getConfiguration — renders a talosconfig locally in the plugin.
import * as pulumi from "@pulumi/pulumi";
import { secretInput, talosInvokeOptions } from "./pluginOptions";
import type { ClientConfiguration, DeepInput } from "./types";

export const GET_CLIENT_CONFIGURATION_TOKEN = "talos:client/getConfiguration:getConfiguration";

export interface GetConfigurationOutputArgs {
  /** Becomes the talosconfig context name. */
  clusterName: pulumi.Input<string>;
  clientConfiguration: pulumi.Input<DeepInput<ClientConfiguration>>;
  /** Control-plane node addresses; not the VIP, which disappears with the etcd leader. */
  endpoints?: pulumi.Input<pulumi.Input<string>[]>;
  /** Default target nodes for talosctl. */
  nodes?: pulumi.Input<pulumi.Input<string>[]>;
}

export interface GetConfigurationResult {
  /** Equals `clusterName`. */
  readonly id: string;
  readonly clusterName: string;
  readonly clientConfiguration: ClientConfiguration;
  readonly endpoints?: string[];
  readonly nodes?: string[];
  /** The talosconfig YAML (secret). */
  readonly talosConfig: string;
}

/** Output form only. The result is secret as a whole: it is an admin credential. */
export function getConfigurationOutput(args: GetConfigurationOutputArgs, opts?: pulumi.InvokeOutputOptions): pulumi.Output<GetConfigurationResult> {
  const invokeArgs: pulumi.Inputs = {
    clusterName: args.clusterName,
    clientConfiguration: secretInput(args.clientConfiguration),
    endpoints: args.endpoints,
    nodes: args.nodes,
  };
  const result = pulumi.runtime.invokeOutput<GetConfigurationResult>(GET_CLIENT_CONFIGURATION_TOKEN, invokeArgs, talosInvokeOptions(opts));
  return pulumi.secret(result);
}
