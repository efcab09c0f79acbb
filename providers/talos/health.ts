// talos:cluster/getHealth:getHealth — waits until the cluster passes Talos' health checks, or fails
// with the check report at `timeouts.read`. It dials the nodes whenever its inputs are known, so
// callers gate it (dependsOn the Bootstrap, or behind config) to keep previews from blocking.
import * as pulumi from "@pulumi/pulumi";
import { secretInput, talosInvokeOptions } from "./pluginOptions";
import type { ClientConfiguration, DeepInput, HealthTimeouts } from "./types";

export const GET_HEALTH_TOKEN = "talos:cluster/getHealth:getHealth";

export interface GetHealthOutputArgs {
  clientConfiguration: pulumi.Input<DeepInput<ClientConfiguration>>;
  /** IP addresses (the plugin parses them as IPs), not hostnames. */
  controlPlaneNodes: pulumi.Input<pulumi.Input<string>[]>;
  workerNodes?: pulumi.Input<pulumi.Input<string>[]>;
  /** At least one control-plane address; not the VIP. */
  endpoints: pulumi.Input<pulumi.Input<string>[]>;
  /** true: only boot and kubelet level checks. */
  skipKubernetesChecks?: pulumi.Input<boolean>;
  timeouts?: pulumi.Input<DeepInput<HealthTimeouts>>;
}

export interface GetHealthResult {
  readonly id: string;
  readonly clientConfiguration: ClientConfiguration;
  readonly controlPlaneNodes: string[];
  readonly workerNodes?: string[];
  readonly endpoints: string[];
  readonly skipKubernetesChecks?: boolean;
  readonly timeouts?: HealthTimeouts;
}

/** Output form only; pass `dependsOn` in `opts` to order it after the bootstrap. */
export function getHealthOutput(args: GetHealthOutputArgs, opts?: pulumi.InvokeOutputOptions): pulumi.Output<GetHealthResult> {
  const invokeArgs: pulumi.Inputs = {
    clientConfiguration: secretInput(args.clientConfiguration),
    controlPlaneNodes: args.controlPlaneNodes,
    workerNodes: args.workerNodes,
    endpoints: args.endpoints,
    skipKubernetesChecks: args.skipKubernetesChecks,
    timeouts: args.timeouts,
  };
  return pulumi.runtime.invokeOutput<GetHealthResult>(GET_HEALTH_TOKEN, invokeArgs, talosInvokeOptions(opts));
}
