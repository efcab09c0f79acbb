// The one place the program reads pulumi.Config. Every value is read as raw text and validated by
// the pure parseConfig, so all rules live in config/schema.ts and are tested without Pulumi.
// Credentials (latitudesh:authToken) are not read here: the Latitude provider reads them itself,
// so a secret never passes through the plain-text StackConfig.
import * as pulumi from "@pulumi/pulumi";
import { CONFIG_KEYS, parseConfig, type StackConfig } from "./config/schema";
import type { ConfigSource } from "./providers/latitude/credentials";

export type * from "./config/schema";
export { ConfigError, nodeHostname } from "./config/schema";

/** Reads the declared keys of the project's namespace and validates them; throws ConfigError. */
export function loadConfig(): StackConfig {
  const config = new pulumi.Config();
  const raw: Record<string, string> = {};
  for (const key of CONFIG_KEYS) {
    const value = config.get(key);
    if (value !== undefined) raw[key] = value;
  }
  return parseConfig(raw, { stack: pulumi.getStack(), project: pulumi.getProject() });
}

/**
 * The `latitudesh:*` keys for the program's own read-only Latitude lookups (plans, stock, an
 * adopted project). The API key stays inside the client: it is never a resource input or output.
 */
export function latitudeConfigSource(): ConfigSource {
  return { get: (key) => (key.startsWith("latitudesh:") ? pulumi.runtime.getConfig(key) : undefined) };
}
