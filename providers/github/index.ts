// The GitHub pieces that talk to the API directly (dynamic resources and the read-only check).
export { AppWebhookUrl, type AppWebhookUrlArgs } from "./appWebhookUrl";
export { RepositorySeed, type RepositorySeedArgs } from "./repositorySeed";
export type { SeedFile } from "./repositorySeedProvider";
export { checkInstallations, installationStatusOutput, type InstallationApp, type InstallationState } from "./installations";
export { GITHUB_PROVIDER_VERSION } from "./version";
