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
  /** Overrides the stack-wide `installDisk` and the default by plan for this node. */
  readonly installDisk?: InstallDisk;
  /** The card this node's VLAN is tagged on; overrides `vlan.parent` and what Latitude reports. */
  readonly vlanParent?: VlanParent;
}

/** A network card: a Linux link name, or a physical card by MAC or PCI bus path. */
export type VlanParent = { readonly interface: string } | { readonly mac: string } | { readonly busPath: string };

/** Talos `machine.install.diskSelector`, kept to the fields a bare-metal plan needs. */
export interface DiskSelector {
  /** e.g. "4GB", ">= 100GB", "<= 2TB". */
  readonly size?: string;
  /** Disk model, glob allowed, e.g. "Samsung*". */
  readonly model?: string;
  readonly type?: DiskType;
}
export type DiskType = "ssd" | "hdd" | "nvme" | "sd";

/** Where Talos installs itself: a device path or a selector, exactly one (Talos refuses both). */
export type InstallDisk = { readonly disk: string } | { readonly diskSelector: DiskSelector };

export interface SshKeyConfig {
  readonly name: string;
  readonly publicKey: string;
}

export interface VlanConfig {
  readonly description?: string;
  /** IPv4 CIDR, network address, prefix /8 to /30. */
  readonly subnet: string;
  /** The card every node's VLAN is tagged on, unless a node names its own (components/talos/vlanParent.ts). */
  readonly parent?: VlanParent;
  /** The parent card also takes its address by DHCP: the VLAN rides on the public card (default false). */
  readonly parentDhcp?: boolean;
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

/** The Talos layer of the latitude source. */
export interface TalosConfig {
  /** Talos cluster name: the talosconfig context and the kubeconfig cluster name. */
  readonly clusterName: string;
  /** Host (DNS name or IPv4) of the Kubernetes API endpoint when the config pins one. */
  readonly clusterEndpoint?: string;
  /** "v1.x.y", defaulted from versions.ts. */
  readonly kubernetesVersion: string;
  /** Stack-wide install disk; a node's own `installDisk` wins, else the plan decides. */
  readonly installDisk?: InstallDisk;
  /** Official Image Factory extensions such as "siderolabs/iscsi-tools", in config order. */
  readonly extensions: readonly string[];
  /** A pinned Image Factory schematic id (64 hex characters). */
  readonly schematicId?: string;
  /** Where the program writes kubeconfig and talosconfig files; nothing is written when unset. */
  readonly outputDir?: string;
  /** Control planes that may disappear from `nodes`; any other removal is refused at preview. */
  readonly allowControlPlaneRemoval: readonly string[];
  /** The anchor control plane (endpoint, bootstrap, kubeconfig; pinned in state) may go and the endpoint move with it. */
  readonly allowEndpointChange: boolean;
}

/** The charts whose Helm values `cto-metal:chartValues` may override (Vault's key covers OpenBao). */
export const PLATFORM_CHARTS = ["localPath", "certManager", "ngrok", "argocd", "vault"] as const;
export type PlatformChart = (typeof PLATFORM_CHARTS)[number];

/** The platform layer (both sources). */
export interface PlatformConfig {
  /** skipStack: bring up the cluster only. */
  readonly skip: boolean;
  /** Public host of Argo CD, served through ngrok; absent: Argo CD is not exposed. */
  readonly argocdDomain?: string;
  readonly acme?: { readonly email: string; readonly environment: "staging" | "production" };
  /** Both ngrok credentials are set (secret keys). */
  readonly ngrok: boolean;
  readonly vault: { readonly flavor: "vault" | "openbao"; readonly ha: boolean };
  /** Helm values merged over what the program sets, per chart. */
  readonly chartValues: Readonly<Partial<Record<PlatformChart, Record<string, unknown>>>>;
  /**
   * allowGitOpsRemoval: a run without the GitOps repository may delete Argo CD's root Application
   * (and, through its finalizer, every app it deployed); present only when true.
   */
  readonly allowGitOpsRemoval?: true;
}

export interface GitHubAppConfig {
  readonly name: string;
  readonly slug: string;
  /** With an id (and its private key in the secret githubAppPrivateKeys) the App's webhook points at `url`. */
  readonly webhook?: { readonly appId: string; readonly url: string };
}

/** The GitOps layer, present when a GitHub organization is configured. */
export interface GitOpsConfig {
  readonly org: string;
  readonly repositoryName: string;
  readonly visibility: "private" | "public" | "internal";
  readonly onDestroy: "keep" | "archive" | "delete";
  readonly appsPath: string;
  readonly branch: string;
  readonly apps: readonly GitHubAppConfig[];
}

/** The kubeconfig source: the file and context of an existing cluster. */
export interface KubeconfigConfig {
  readonly path?: string;
  readonly context?: string;
}

/** Presets: `production` protects the cluster's secrets and runs HA; explicit keys win over it. */
export type Profile = "minimal" | "standard" | "production";

interface StackConfigBase {
  readonly stack: string;
  readonly profile: Profile;
  readonly githubOrg?: string;
  /** Build the graph only up to this layer: "servers" rents servers only, "talos" stops at the cluster. */
  readonly stopAfter?: "servers" | "talos";
  readonly platform: PlatformConfig;
  readonly gitops?: GitOpsConfig;
}

export type StackConfig =
  | (StackConfigBase & {
      readonly clusterSource: "latitude";
      readonly latitude: LatitudeConfig;
      readonly talos: TalosConfig;
    })
  | (StackConfigBase & {
      readonly clusterSource: "kubeconfig";
      readonly kubeconfig: KubeconfigConfig;
      readonly latitude?: undefined;
      readonly talos?: undefined;
    });
