// talos:machine/getConfiguration:getConfiguration — renders a machine config locally in the plugin
// (no network), so it is safe at every preview once its inputs are known.
import * as pulumi from "@pulumi/pulumi";
import { secretInput, talosInvokeOptions } from "./pluginOptions";
import type { DeepInput, MachineSecrets, MachineType } from "./types";

export const GET_MACHINE_CONFIGURATION_TOKEN = "talos:machine/getConfiguration:getConfiguration";

export interface GetConfigurationOutputArgs {
  clusterName: pulumi.Input<string>;
  /** `https://host:port` (validated by the plugin), usually `https://<VIP>:6443`. */
  clusterEndpoint: pulumi.Input<string>;
  machineType: pulumi.Input<MachineType>;
  machineSecrets: pulumi.Input<DeepInput<MachineSecrets>>;
  /** Strategic-merge (YAML/JSON) or RFC 6902 patches applied for this machine type. */
  configPatches?: pulumi.Input<pulumi.Input<string>[]>;
  /** Pin it: a plugin upgrade otherwise changes rendered configs on every node. */
  kubernetesVersion?: pulumi.Input<string>;
  /** Version contract only; the installed OS comes from `machine.install.image`. */
  talosVersion?: pulumi.Input<string>;
  docs?: pulumi.Input<boolean>;
  examples?: pulumi.Input<boolean>;
}

export interface GetConfigurationResult {
  readonly id: string;
  readonly clusterName: string;
  readonly clusterEndpoint: string;
  readonly machineType: MachineType;
  readonly machineSecrets: MachineSecrets;
  /** The rendered machine config YAML (secret). */
  readonly machineConfiguration: string;
  readonly configPatches?: string[];
  readonly kubernetesVersion?: string;
  readonly talosVersion?: string;
  readonly docs?: boolean;
  readonly examples?: boolean;
}

/**
 * Rebuilds machine secrets with exactly the schema's keys. Passing `Secrets.machineSecrets` through
 * unchanged has failed with "bootstrap_token … required" (pulumiverse/pulumi-talos #103, #200, #251);
 * an explicit copy is the workaround users settled on. An empty `aescbcEncryptionSecret` is left
 * out because the plugin only expects it for Talos < 1.3 contracts.
 */
export function normalizeMachineSecrets(s: MachineSecrets): MachineSecrets {
  const { certs, cluster, secrets, trustdinfo } = s;
  const cert = (c: { cert: string; key: string }) => ({ cert: c.cert, key: c.key });
  return {
    certs: {
      etcd: cert(certs.etcd),
      k8s: cert(certs.k8s),
      k8sAggregator: cert(certs.k8sAggregator),
      k8sServiceaccount: { key: certs.k8sServiceaccount.key },
      os: cert(certs.os),
    },
    cluster: { id: cluster.id, secret: cluster.secret },
    secrets: {
      bootstrapToken: secrets.bootstrapToken,
      secretboxEncryptionSecret: secrets.secretboxEncryptionSecret,
      ...(secrets.aescbcEncryptionSecret ? { aescbcEncryptionSecret: secrets.aescbcEncryptionSecret } : {}),
    },
    trustdinfo: { token: trustdinfo.token },
  };
}

/**
 * Output form only. The whole result is secret: it carries the machine secrets and the rendered
 * config, and the binding does not rely on secretness propagating through the invoke.
 */
export function getConfigurationOutput(
  args: GetConfigurationOutputArgs,
  opts?: pulumi.InvokeOutputOptions,
): pulumi.Output<GetConfigurationResult> {
  const machineSecrets = pulumi.output(args.machineSecrets).apply((s) => normalizeMachineSecrets(s));
  const invokeArgs: pulumi.Inputs = {
    clusterName: args.clusterName,
    clusterEndpoint: args.clusterEndpoint,
    machineType: args.machineType,
    machineSecrets: secretInput(machineSecrets),
    configPatches: args.configPatches,
    kubernetesVersion: args.kubernetesVersion,
    talosVersion: args.talosVersion,
    docs: args.docs,
    examples: args.examples,
  };
  const result = pulumi.runtime.invokeOutput<GetConfigurationResult>(GET_MACHINE_CONFIGURATION_TOKEN, invokeArgs, talosInvokeOptions(opts));
  return pulumi.secret(result);
}
