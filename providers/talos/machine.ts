// The `machine` module under the generated SDK's names (`talos.machine.*`), so callers switch to
// @pulumiverse/talos by changing only their import.
export { Secrets, type SecretsArgs } from "./machineSecrets";
export { getConfigurationOutput, type GetConfigurationOutputArgs, type GetConfigurationResult } from "./machineConfiguration";
export { ConfigurationApply, type ConfigurationApplyArgs } from "./configurationApply";
export { Bootstrap, type BootstrapArgs } from "./bootstrap";
