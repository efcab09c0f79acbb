// Whether a listed Latitude SSH key is the key the inputs describe. Recorded SSH key answers carry
// no `project` attribute (latitude-api.md §19; the spec shows one for /ssh_keys, but that route's
// answers are unrecorded), so a key is recognised by what every recorded answer carries: its name,
// its fingerprint (colon-separated MD5 of the key blob, §9) or its key material, and its tags
// (ownership is judged in ownership.ts). The scope comes from the list filter (`filter[project]`
// or `filter[scope]=team`); an embedded project, when an answer has one, must agree with it.
// Serialized into the SSH key provider: packages are require()d inside functions.
import type { SshKey } from "./schemas";

/** Whitespace-insensitive: a trailing newline from a key file is no change. */
export const keyText = (publicKey: string): string => publicKey.trim().split(/\s+/).join(" ");

/** Type and blob: the key itself, whatever its comment says. */
export const keyMaterial = (publicKey: string): string => keyText(publicKey).split(" ").slice(0, 2).join(" ");

/** Colon-separated MD5 of the decoded key blob, as Latitude reports it; undefined without a blob. */
export function md5Fingerprint(publicKey: string): string | undefined {
  const blob = keyText(publicKey).split(" ")[1];
  if (!blob || !/^[A-Za-z0-9+/]+={0,2}$/.test(blob)) return undefined;
  const { createHash } = require("crypto") as typeof import("crypto");
  return createHash("md5").update(Buffer.from(blob, "base64")).digest("hex").match(/../g)?.join(":");
}

/** Same key: the fingerprint Latitude reports, or (when it reports none) the key material. */
export function isSameKey(key: Pick<SshKey, "public_key" | "fingerprint">, publicKey: string): boolean {
  const ours = md5Fingerprint(publicKey);
  if (key.fingerprint && ours) return key.fingerprint.toLowerCase() === ours;
  return keyMaterial(key.public_key) === keyMaterial(publicKey);
}

/**
 * In the scope that was listed. Absent `project` (every recorded answer): the list filter decided.
 * Embedded: `{}` is a team-wide key, otherwise the project it names must be ours.
 */
export function isInScope(key: Pick<SshKey, "project">, projectId: string | undefined): boolean {
  if (key.project === undefined || key.project === null) return true;
  const bound = key.project.id ?? key.project.slug ?? undefined;
  if (!projectId) return !bound;
  return key.project.id === projectId || key.project.slug === projectId;
}
