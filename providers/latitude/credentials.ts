// Where the Latitude API key and base URL come from: the secret stack config
// `latitudesh:authToken` / `latitudesh:apiUrl` (handed to dynamic providers by `configure`, read
// by the program for its own lookups) or LATITUDESH_AUTH_TOKEN / LATITUDESH_API_URL. Resolved at
// call time, so the key is never a resource input and never captured in serialized code.

export const DEFAULT_API_URL = "https://api.latitude.sh";

export interface ConfigSource {
  get(key: string): string | undefined;
}

export interface LatitudeCredentials {
  apiUrl: string;
  apiKey: string;
}

export class CredentialsError extends Error {
  override readonly name = "CredentialsError";
}

const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/;

/** Checks the base URL: https, or plain http only to this machine (the emulator). */
export function validateApiUrl(raw: string, source: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new CredentialsError(`${source}: expected an absolute URL such as ${DEFAULT_API_URL}, got ${JSON.stringify(raw.slice(0, 80))}`);
  }
  const secure = url.protocol === "https:" || (url.protocol === "http:" && LOOPBACK.test(url.hostname));
  if (!secure) throw new CredentialsError(`${source}: expected an https URL (plain http only for a local emulator), got ${url.protocol}//${url.host}`);
  if (url.username || url.password) throw new CredentialsError(`${source}: the URL must not carry credentials; set the API key as latitudesh:authToken`);
  return url.toString().replace(/\/+$/, "");
}

export function resolveCredentials(config: ConfigSource | undefined, env: NodeJS.ProcessEnv = process.env): LatitudeCredentials {
  const fromConfig = (key: string): string | undefined => {
    const value = config?.get(key)?.trim();
    return value ? value : undefined;
  };
  const apiKey = fromConfig("latitudesh:authToken") ?? env["LATITUDESH_AUTH_TOKEN"]?.trim();
  if (!apiKey) {
    throw new CredentialsError(
      "Latitude API key missing: set it with `pulumi config set --secret latitudesh:authToken <key>` or the environment variable LATITUDESH_AUTH_TOKEN",
    );
  }
  const urlFromConfig = fromConfig("latitudesh:apiUrl");
  const urlFromEnv = env["LATITUDESH_API_URL"]?.trim();
  const apiUrl = urlFromConfig
    ? validateApiUrl(urlFromConfig, "latitudesh:apiUrl")
    : urlFromEnv
      ? validateApiUrl(urlFromEnv, "LATITUDESH_API_URL")
      : DEFAULT_API_URL;
  return { apiUrl, apiKey };
}
