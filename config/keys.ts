// Every key of the `cto-metal` namespace the program reads: how Pulumi hands it over, and its
// default. Pulumi.yaml declares the same set (test/config.test.ts keeps both in sync).

// How Pulumi hands each key over: "string" as is; "json" and "boolean" as JSON text; "text-or-json"
// is a plain string unless it starts like a JSON object, list or string (installDisk: a path or a selector).
export const KEY_KINDS = {
  clusterSource: "string",
  project: "json",
  site: "string",
  plan: "string",
  billing: "string",
  nodes: "json",
  hostnamePrefix: "string",
  operatingSystem: "string",
  ipxeUrl: "string",
  sshKeys: "json",
  vlan: "json",
  allowReinstall: "boolean",
  allowEvenControlPlanes: "boolean",
  deployTimeoutMinutes: "json",
  clusterName: "string",
  clusterEndpoint: "string",
  kubernetesVersion: "string",
  installDisk: "text-or-json",
  talosExtensions: "json",
  schematicId: "string",
  outputDir: "string",
  allowControlPlaneRemoval: "json",
  allowEndpointChange: "boolean",
  stopAfter: "string",
  profile: "string",
  githubOrg: "string",
  skipStack: "boolean",
  kubeconfigPath: "string",
  kubeContext: "string",
  argocdDomain: "string",
  acme: "json",
  vault: "json",
  chartValues: "json",
  gitopsRepo: "json",
  githubApps: "json",
  allowGitOpsRemoval: "boolean",
} as const;

export type ConfigKey = keyof typeof KEY_KINDS;

/** Every key of the `cto-metal` namespace this program reads; Pulumi.yaml declares the same set. */
export const CONFIG_KEYS = Object.keys(KEY_KINDS) as readonly ConfigKey[];

/** Defaults as Pulumi text; Pulumi.yaml declares the same ones. */
export const CONFIG_DEFAULTS: Readonly<Partial<Record<ConfigKey, string>>> = {
  clusterSource: "latitude",
  billing: "hourly",
  hostnamePrefix: "cto",
  operatingSystem: "ipxe",
  sshKeys: "[]",
  allowReinstall: "false",
  allowEvenControlPlanes: "false",
  deployTimeoutMinutes: "30",
  clusterName: "cto",
  talosExtensions: "[]",
  allowControlPlaneRemoval: "[]",
  allowEndpointChange: "false",
  profile: "standard",
  skipStack: "false",
  allowGitOpsRemoval: "false",
};
