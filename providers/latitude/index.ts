// The Latitude API layer: credentials, the typed client and its errors.
export { LatitudeClient, type LatitudeClientOptions, type ServerCreate, type ServerUpdate } from "./client";
export { CredentialsError, DEFAULT_API_URL, resolveCredentials, validateApiUrl, type ConfigSource, type LatitudeCredentials } from "./credentials";
export { LatitudeApiError, LatitudeTransportError, LatitudeUnknownOutcomeError } from "./errors";
export { PollTimeoutError } from "./statusPoller";
export type { OperatingSystem, Plan, Project, Region, Server, SshKey, Tag, VirtualNetwork, VlanAssignment } from "./schemas";
export { CatalogueError, costPerNode, lookupPlans, type CatalogueProblem, type PlanCatalogue, type PlanQuote, type PlanRequest } from "./planLookup";
export { fleetCost, normalizePrice, priceForSite, HOURS_PER_MONTH, HOURS_PER_YEAR, type FleetCost, type NodeCost, type SitePrice } from "./pricing";
// The Latitude dynamic resources besides Server (classes suffixed "Resource": the bare names are
// the API shapes above), and the read-only project lookup.
export { Tag as TagResource, type TagArgs } from "./tag";
export { tagProvider, type TagInputs, type TagOutputs } from "./tagProvider";
export { SshKey as SshKeyResource, type SshKeyArgs } from "./sshKey";
export { sshKeyProvider, type SshKeyInputs, type SshKeyOutputs } from "./sshKeyProvider";
export { VirtualNetwork as VirtualNetworkResource, type VirtualNetworkArgs } from "./virtualNetwork";
export { virtualNetworkProvider, VLAN_DELETE_TIMEOUT_SECONDS, type VirtualNetworkInputs, type VirtualNetworkOutputs } from "./virtualNetworkProvider";
export { VlanAssignment as VlanAssignmentResource, type VlanAssignmentArgs } from "./vlanAssignment";
export { vlanAssignmentProvider, VLAN_ASSIGNMENT_TIMEOUT_SECONDS, type VlanAssignmentInputs, type VlanAssignmentOutputs } from "./vlanAssignmentProvider";
export { Project as ProjectResource, type ProjectArgs } from "./project";
export { projectProvider, PROJECT_CONFIG_KEY, type ProjectEnvironment, type ProjectInputs, type ProjectOutputs, type ProvisioningType } from "./projectProvider";
export { findProjectBySlug } from "./projectLookup";
export { StackIdentity, type StackIdentityArgs } from "./stackIdentity";
export { stackIdentityProvider, type StackIdentityInputs, type StackIdentityOutputs } from "./stackIdentityProvider";
export { adoptable, identityIn, ownerNote, type AdoptionCandidate, type Owner } from "./ownership";
