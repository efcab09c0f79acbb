// Where the GitHub dynamic providers get their token and API base URL. The token is the one the
// @pulumi/github provider reads (`github:token`, handed over by the engine's `configure` call) or
// GITHUB_TOKEN, resolved at call time: it is never a resource input and never captured in the
// serialized provider code. The base URL comes from GITHUB_API_URL so tests can point at a fake.

export const DEFAULT_GITHUB_API_URL = "https://api.github.com";

export interface ConfigSource {
  get(key: string): string | undefined;
}

interface GitHubRuntime {
  config?: ConfigSource;
}

// Each dynamic provider is serialized separately: module variables are not shared, globalThis is.
// A string key: the closure serializer cannot carry a Symbol.
const RUNTIME_KEY = "__ctoMetalGitHubRuntime_v1";

function runtime(): GitHubRuntime {
  const holder = globalThis as unknown as Record<string, GitHubRuntime | undefined>;
  let state = holder[RUNTIME_KEY];
  if (!state) {
    state = {};
    holder[RUNTIME_KEY] = state;
  }
  return state;
}

/** Called from each GitHub provider's `configure`: the engine passes the whole stack config, secrets decrypted. */
export function rememberGitHubConfig(config: ConfigSource): void {
  runtime().config = config;
}

/** `github:token` from the stack config, else GITHUB_TOKEN; undefined when neither is set. */
export function githubToken(env: NodeJS.ProcessEnv = process.env, config: ConfigSource | undefined = runtime().config): string | undefined {
  const fromConfig = config?.get("github:token")?.trim();
  if (fromConfig) return fromConfig;
  const fromEnv = env["GITHUB_TOKEN"]?.trim();
  return fromEnv ? fromEnv : undefined;
}

const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/;

/** GITHUB_API_URL (https, or plain http only to this machine) or the public API. */
export function githubApiUrl(env: NodeJS.ProcessEnv = process.env): string {
  const raw = env["GITHUB_API_URL"]?.trim();
  if (!raw) return DEFAULT_GITHUB_API_URL;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error(`GITHUB_API_URL: expected an absolute URL such as ${DEFAULT_GITHUB_API_URL}, got ${JSON.stringify(raw.slice(0, 80))}`);
  }
  const secure = url.protocol === "https:" || (url.protocol === "http:" && LOOPBACK.test(url.hostname));
  if (!secure) throw new Error(`GITHUB_API_URL: expected an https URL (plain http only to 127.0.0.1), got ${url.protocol}//${url.host}`);
  if (url.username || url.password) throw new Error("GITHUB_API_URL must not carry credentials; set the token as github:token or GITHUB_TOKEN");
  return url.toString().replace(/\/+$/, "");
}

/** What a user does when no token is found; names both places the token may come from. */
export const MISSING_TOKEN_HELP = "set `pulumi config set --secret github:token <token>` or the environment variable GITHUB_TOKEN";
