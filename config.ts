// The one place the program reads pulumi.Config. Every value is read as raw text and validated by
// the pure parseConfig, so all rules live in config/schema.ts and are tested without Pulumi.
// Credentials (latitudesh:authToken) are not read here: the Latitude provider reads them itself,
// so a secret never passes through the plain-text StackConfig.
import * as pulumi from "@pulumi/pulumi";
import { CONFIG_KEYS, parseConfig, SECRET_ENV_FALLBACK, SECRET_KEYS, type SecretKey, type StackConfig } from "./config/schema";
import { ConfigError } from "./config/issues";
import { unknownKeyIssues } from "./config/unknownKeys";
import type { ConfigSource } from "./providers/latitude/credentials";

export type * from "./config/schema";
export { ConfigError, nodeHostname } from "./config/schema";
export { reportedError } from "./config/reportedError";

/** Reads the declared keys of the project's namespace and validates them; throws ConfigError. */
export function loadConfig(): StackConfig {
  const config = new pulumi.Config();
  const raw: Record<string, string> = {};
  for (const key of CONFIG_KEYS) {
    const value = config.get(key);
    if (value !== undefined) raw[key] = value;
  }
  const secrets = SECRET_KEYS.filter((key) => readSecret(config, key) !== undefined);
  const unknown = unknownKeyIssues(pulumi.runtime.allConfig(), pulumi.getProject(), [...CONFIG_KEYS, ...SECRET_KEYS]);
  let parsed: StackConfig;
  try {
    parsed = parseConfig(raw, { stack: pulumi.getStack(), project: pulumi.getProject(), secrets });
  } catch (error) {
    // One list: the typos first, then what the keys that were read got wrong.
    if (unknown.length > 0 && error instanceof ConfigError) throw new ConfigError(pulumi.getStack(), [...unknown, ...error.issues]);
    throw error;
  }
  if (unknown.length > 0) throw new ConfigError(pulumi.getStack(), unknown);
  return parsed;
}

/** A secret key from the stack config, else from its environment variable (wrapped as a secret). */
function readSecret(config: pulumi.Config, key: SecretKey): pulumi.Output<string> | undefined {
  const fromConfig = config.getSecret(key);
  if (fromConfig !== undefined) return fromConfig;
  const variable = SECRET_ENV_FALLBACK[key];
  const fromEnv = variable ? process.env[variable] : undefined;
  return fromEnv ? pulumi.secret(fromEnv) : undefined;
}

/** The secret keys, as secret Outputs (undefined when not set); their values never reach StackConfig. */
export type StackSecrets = Partial<Record<SecretKey | "githubToken", pulumi.Output<string>>>;

export function loadSecrets(): StackSecrets {
  const config = new pulumi.Config();
  const secrets: StackSecrets = {};
  for (const key of SECRET_KEYS) {
    const value = readSecret(config, key);
    if (value !== undefined) secrets[key] = value;
  }
  // The GitHub provider's own key: an explicit provider does not read stack config by itself.
  const githubToken = new pulumi.Config("github").getSecret("token");
  if (githubToken !== undefined) secrets.githubToken = githubToken;
  return secrets;
}

/**
 * The `latitudesh:*` keys for the program's own read-only Latitude lookups (plans, stock, an
 * adopted project). The API key stays inside the client: it is never a resource input or output.
 */
export function latitudeConfigSource(): ConfigSource {
  return { get: (key) => (key.startsWith("latitudesh:") ? pulumi.runtime.getConfig(key) : undefined) };
}

/** One App's PEM from the secret JSON {"<slug>": "<PEM>"}; errors name the key, never the content. */
export function githubAppPrivateKey(secrets: StackSecrets, slug: string): pulumi.Output<string> {
  const keys = secrets.githubAppPrivateKeys;
  if (!keys) throw new Error(`cto-metal:githubAppPrivateKeys: expected a PEM for GitHub App ${slug}, got no secret`);
  return pulumi.secret(keys.apply((text) => pemOf(text, slug)));
}

function pemOf(text: string, slug: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error('cto-metal:githubAppPrivateKeys: expected a JSON object {"<slug>": "<PEM>"}, got text that is not JSON');
  }
  const pem = (parsed as Record<string, unknown> | null)?.[slug];
  if (typeof pem !== "string") throw new Error(`cto-metal:githubAppPrivateKeys: expected a PEM for GitHub App ${slug}, got none`);
  return pem;
}
