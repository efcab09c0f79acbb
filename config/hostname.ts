// Deterministic server hostnames. The hostname names the node for people (Latitude's dashboard,
// Talos, Kubernetes) and is where the Latitude provider looks for a server to adopt, so it carries
// the Pulumi project and the stack and never drifts. It is not proof of ownership: two backends can
// hold stacks of the same names, so adoption also needs the stack's identity (providers/latitude/ownership.ts).

/** Latitude's limit (Terraform validator; the API's own limit is undocumented). */
export const LATITUDE_HOSTNAME_MAX_LENGTH = 32;

const HOSTNAME_PATTERN = /^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$/i;

/** The pattern as the config check names it. */
export const HOSTNAME_FORMAT = "<hostnamePrefix>-<project>-<stack>-<name>";

/** `${prefix}-${project}-${stack}-${nodeName}`, lower-cased (the API preserves case; we never rely on it). */
export function nodeHostname(prefix: string, project: string, stack: string, nodeName: string): string {
  return `${prefix}-${project}-${stack}-${nodeName}`.toLowerCase();
}

/** Letters, digits, "-" and ".", starting and ending alphanumeric, at most 32 characters. */
export function isLatitudeHostname(hostname: string): boolean {
  return hostname.length <= LATITUDE_HOSTNAME_MAX_LENGTH && HOSTNAME_PATTERN.test(hostname);
}
