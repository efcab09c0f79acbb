// The `cluster` module under the generated SDK's names (`talos.cluster.*`).
export { Kubeconfig, type KubeconfigArgs } from "./kubeconfig";
export { getHealthOutput, type GetHealthOutputArgs, type GetHealthResult } from "./health";
