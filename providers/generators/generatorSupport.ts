// What the generator providers share. This module is serialized with each provider that uses it:
// everything here is plain data or a function that require()s its own dependencies.

/** Bumped with the generator provider code, so the engine stores the new code in state. */
export const GENERATORS_PROVIDER_VERSION = "2";

/** The engine's placeholder for a value not known yet (preview): never reject it in `check`. */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export const ALPHABETS = {
  hex: "0123456789abcdef",
  alphanumeric: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
  base64url: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_",
} as const;

export type SecretEncoding = keyof typeof ALPHABETS;

export const MIN_LENGTH = 16;
export const MAX_LENGTH = 1024;

/** `length` characters drawn uniformly from `alphabet` (crypto.randomInt has no modulo bias). */
export function randomText(length: number, alphabet: string): string {
  const crypto = require("node:crypto") as typeof import("node:crypto");
  let text = "";
  for (let i = 0; i < length; i++) text += alphabet.charAt(crypto.randomInt(alphabet.length));
  return text;
}

/** A check failure for `length`, or undefined; the value is not secret (it is a size). */
export function lengthFailure(resource: string, length: unknown): string | undefined {
  if (length === UNKNOWN) return undefined;
  if (typeof length !== "number" || !Number.isInteger(length) || length < MIN_LENGTH || length > MAX_LENGTH) {
    return `${resource}: length must be an integer from ${MIN_LENGTH} to ${MAX_LENGTH}, got ${JSON.stringify(length)}`;
  }
  return undefined;
}
