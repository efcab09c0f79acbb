// Deterministic server hostnames. The Latitude provider adopts an existing server by project +
// hostname before creating one, so the hostname must carry the stack name and never drift.

/** Latitude's limit (Terraform validator; the API's own limit is undocumented). */
export const LATITUDE_HOSTNAME_MAX_LENGTH = 32;

const HOSTNAME_PATTERN = /^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$/i;

/** `${prefix}-${stack}-${nodeName}`, lower-cased (the API preserves case; we never rely on it). */
export function nodeHostname(prefix: string, stack: string, nodeName: string): string {
  return `${prefix}-${stack}-${nodeName}`.toLowerCase();
}

/** Letters, digits, "-" and ".", starting and ending alphanumeric, at most 32 characters. */
export function isLatitudeHostname(hostname: string): boolean {
  return hostname.length <= LATITUDE_HOSTNAME_MAX_LENGTH && HOSTNAME_PATTERN.test(hostname);
}
