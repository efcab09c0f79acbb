// Everything the program deploys is pinned here: one place to bump each.

/** Talos release booted over iPXE and installed. The talos plugin 0.8.1 renders configs with 1.13 machinery. */
export const TALOS_VERSION = "v1.13.0";

/** Image Factory schematic with no customisation (the content hash of an empty schematic). */
export const VANILLA_SCHEMATIC_ID = "376567988ad370138ad8b2698212367b8edcb69b5fd68c80be1f2ec7d603b4ba";

/**
 * Kubernetes release the Talos configs ask for when `cto-metal:kubernetesVersion` is not set. Pinned:
 * left to the plugin, a provider upgrade would silently change every rendered config. Talos 1.13
 * supports the six minors 1.31 to 1.36; 1.36 is the newest, the one Talos 1.13 ships as its default.
 */
export const KUBERNETES_VERSION = "v1.36.0";

/** The Kubernetes minors (1.x) Talos v1.13 supports; the config refuses a version outside them. */
export const SUPPORTED_KUBERNETES_MINORS = { min: 31, max: 36 } as const;

/** A Helm chart as the program installs it: repository, chart name and exact version. */
export interface ChartPin {
  readonly repo: string;
  readonly chart: string;
  readonly version: string;
}

/**
 * Every chart of the platform layer. A bump here is the whole upgrade (see docs/operations.md).
 * Each pin is a published release (argo-cd 8.5.0 ships Argo CD v3.1.5). The ngrok operator's
 * values layout changed in 0.22 and 0.25: bump it together with components/platform/ngrokOperator.ts.
 */
export const CHARTS = {
  localPath: { repo: "https://charts.containeroo.ch", chart: "local-path-provisioner", version: "0.0.33" },
  certManager: { repo: "https://charts.jetstack.io", chart: "cert-manager", version: "v1.18.2" },
  ngrok: { repo: "https://charts.ngrok.com", chart: "ngrok-operator", version: "0.19.0" },
  argocd: { repo: "https://argoproj.github.io/argo-helm", chart: "argo-cd", version: "8.5.0" },
  vault: { repo: "https://helm.releases.hashicorp.com", chart: "vault", version: "0.30.1" },
  openbao: { repo: "https://openbao.github.io/openbao-helm", chart: "openbao", version: "0.16.2" },
} as const satisfies Record<string, ChartPin>;
