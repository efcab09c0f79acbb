// The validated stack configuration handed to index.ts. Components receive slices of it as args.

export type ClusterSource = "latitude" | "kubeconfig";
export type NodeRole = "controlplane" | "worker";
export type Billing = "hourly" | "monthly" | "yearly";
export type ProjectEnvironment = "Development" | "Staging" | "Production";
export type ProvisioningType = "on_demand" | "reserved";

/** Adopt an existing project (read-only, never deleted) or create one the stack owns. */
export type ProjectConfig =
  | { readonly kind: "adopt"; readonly slug: string }
  | {
      readonly kind: "create";
      readonly name: string;
      readonly description?: string;
      readonly environment?: ProjectEnvironment;
      readonly provisioningType: ProvisioningType;
    };

export interface NodeConfig {
  /** Stable node name; identifies the node across updates. */
  readonly name: string;
  /** As configured; the role rule (by position) lives with the Talos layer. */
  readonly role?: NodeRole;
  /** Plan slug, defaulted from the stack-wide plan. */
  readonly plan: string;
  /** `${hostnamePrefix}-${stack}-${name}`, lower-cased, valid for Latitude. */
  readonly hostname: string;
  /** Named explicitly: this control plane may be replaced or reinstalled. */
  readonly allowReplace: boolean;
}

export interface SshKeyConfig {
  readonly name: string;
  readonly publicKey: string;
}

export interface VlanConfig {
  readonly description?: string;
  /** IPv4 CIDR, network address, prefix /8 to /30. */
  readonly subnet: string;
}

export interface LatitudeConfig {
  readonly project: ProjectConfig;
  /** Upper-case site slug, e.g. "MIA2". */
  readonly site: string;
  readonly plan: string;
  readonly billing: Billing;
  readonly nodes: readonly NodeConfig[];
  readonly hostnamePrefix: string;
  /** "ipxe" (Talos) or a Latitude OS slug. */
  readonly operatingSystem: string;
  readonly ipxeUrl?: string;
  readonly sshKeys: readonly SshKeyConfig[];
  readonly vlan?: VlanConfig;
  readonly allowReinstall: boolean;
  /** How long a deploy may take before the server is reported failed (kept in state, replaced next time). */
  readonly deployTimeoutMinutes: number;
}

interface StackConfigBase {
  readonly stack: string;
  readonly githubOrg?: string;
}

export type StackConfig =
  | (StackConfigBase & { readonly clusterSource: "latitude"; readonly latitude: LatitudeConfig })
  | (StackConfigBase & { readonly clusterSource: "kubeconfig"; readonly latitude?: undefined });
