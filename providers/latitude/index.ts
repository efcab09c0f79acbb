// The Latitude API layer: credentials, the typed client and its errors.
export { LatitudeClient, type LatitudeClientOptions, type ServerCreate, type ServerUpdate } from "./client";
export { CredentialsError, DEFAULT_API_URL, resolveCredentials, validateApiUrl, type ConfigSource, type LatitudeCredentials } from "./credentials";
export { LatitudeApiError, LatitudeTransportError, LatitudeUnknownOutcomeError } from "./errors";
export { PollTimeoutError } from "./statusPoller";
export type { OperatingSystem, Plan, Project, Region, Server, SshKey, Tag, VirtualNetwork, VlanAssignment } from "./schemas";
