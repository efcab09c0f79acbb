/** Bumped with the GitHub dynamic providers' code, so the engine stores the new code in state. */
export const GITHUB_PROVIDER_VERSION = "2";
