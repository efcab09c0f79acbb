// Object types of the talos plugin 0.8.1 schema, reduced to what the program passes or reads.
// Field names are the schema's camelCase names, nested ones included: the plugin rejects anything
// else (pulumiverse/pulumi-talos #103). Cert, key and CA strings are base64-encoded PEM.
import type * as pulumi from "@pulumi/pulumi";

/**
 * The input form of a plain object type: every field, at any depth, may be an Input. This is the
 * shape the generated SDK's `types.input` module gives (Output<T> and plain T both fit).
 */
export type DeepInput<T> = T extends string | number | boolean | null | undefined
  ? T
  : T extends readonly (infer E)[]
    ? pulumi.Input<DeepInput<E>>[]
    : { [K in keyof T]: pulumi.Input<DeepInput<T[K]>> };

/**
 * Talos API client credentials (talosconfig material). `clientKey` is secret in the schema.
 * One type serves every per-resource copy (`talos:machine/generated:ClientConfiguration`,
 * `KubeconfigClientConfiguration`, `getHealthClientConfiguration`, `getConfigurationClientConfiguration`).
 */
export interface ClientConfiguration {
  caCertificate: string;
  clientCertificate: string;
  clientKey: string;
}

/** `talos:machine/generated:Certificate`; `key` is secret. */
export interface MachineSecretsCertificate {
  cert: string;
  key: string;
}

/** `talos:machine/generated:Key`; `key` is secret. */
export interface MachineSecretsKey {
  key: string;
}

/** `talos:machine/generated:Certificates`. */
export interface MachineSecretsCerts {
  etcd: MachineSecretsCertificate;
  k8s: MachineSecretsCertificate;
  k8sAggregator: MachineSecretsCertificate;
  k8sServiceaccount: MachineSecretsKey;
  os: MachineSecretsCertificate;
}

/** `talos:machine/generated:Cluster`; `secret` is secret. */
export interface MachineSecretsCluster {
  id: string;
  secret: string;
}

/** `talos:machine/generated:KubernetesSecrets`; every field is secret. */
export interface MachineSecretsKubernetes {
  bootstrapToken: string;
  secretboxEncryptionSecret: string;
  /** Only produced for a Talos contract below 1.3; absent (or null from state) otherwise. */
  aescbcEncryptionSecret?: string | null;
}

/** `talos:machine/generated:TrustdInfo`; `token` is secret. */
export interface MachineSecretsTrustdInfo {
  token: string;
}

/** The cluster PKI and tokens (`talos:machine/generated:MachineSecrets`). Losing it means a new cluster. */
export interface MachineSecrets {
  certs: MachineSecretsCerts;
  cluster: MachineSecretsCluster;
  secrets: MachineSecretsKubernetes;
  trustdinfo: MachineSecretsTrustdInfo;
}

/** `talos:cluster/KubeconfigKubernetesClientConfiguration`; `clientKey` is secret, `host` is the cluster endpoint URL. */
export interface KubernetesClientConfiguration {
  host: string;
  caCertificate: string;
  clientCertificate: string;
  clientKey: string;
}

/** `machineType` of machine getConfiguration. */
export type MachineType = "controlplane" | "worker";

/** `applyMode` of ConfigurationApply (upstream validates this set). */
export type ApplyMode = "auto" | "reboot" | "no_reboot" | "staged" | "staged_if_needing_reboot";

/**
 * `talos:machine/ConfigurationApplyOnDestroy`. Defaults: reset false, graceful true, reboot false.
 * Plain booleans on purpose: upstream v0.11.0 (inside plugin 0.8.1) fails when they are unknown
 * at plan time (terraform-provider-talos #334), so the binding does not accept Inputs here.
 */
export interface ConfigurationApplyOnDestroy {
  reset?: boolean;
  graceful?: boolean;
  reboot?: boolean;
}

/** Go duration strings such as "10m" or "1h"; every default is 10m. Use these, not `customTimeouts` (bridge #827). */
export interface ConfigurationApplyTimeouts {
  create?: string;
  update?: string;
  delete?: string;
}

export interface BootstrapTimeouts {
  create?: string;
}

export interface KubeconfigTimeouts {
  create?: string;
  update?: string;
}

export interface HealthTimeouts {
  read?: string;
}

/** Image Factory CPU architecture. */
export type Architecture = "amd64" | "arm64";

/** `talos:imageFactory/getUrlsUrls`: every field is present, empty when it does not apply. */
export interface ImageFactoryUrls {
  installer: string;
  installerSecureboot: string;
  iso: string;
  isoSecureboot: string;
  diskImage: string;
  diskImageSecureboot: string;
  pxe: string;
  kernel: string;
  kernelCommandLine: string;
  initramfs: string;
  uki: string;
}
