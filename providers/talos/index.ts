// Hand-written binding to the talos provider plugin 0.8.1 (pulumiverse/pulumi-talos), used because
// @pulumiverse/talos does not resolve from this registry. `import * as talos from "./providers/talos"`
// gives the same `talos.machine.Secrets`, `talos.cluster.getHealthOutput`, … as the SDK, limited to
// what the program uses; tokens and field names are the schema's.
export * as machine from "./machine";
export * as cluster from "./cluster";
export * as client from "./clientConfiguration";
// The SDK's folder is lower-case `imagefactory` although the schema module is `imageFactory`.
export * as imagefactory from "./imageFactory";
export { TALOS_PLUGIN, talosResourceOptions, talosInvokeOptions } from "./pluginOptions";
export { normalizeMachineSecrets } from "./machineConfiguration";
export type * from "./types";
