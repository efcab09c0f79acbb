// One GitHub REST call with its own deadline. The Authorization value is sent and never echoed:
// errors carry the method, the path and GitHub's own message, nothing from the request headers.

export interface GitHubRequest {
  apiUrl: string;
  method: "GET" | "PUT" | "PATCH" | "POST" | "DELETE";
  /** Starts with "/", already URL-encoded. */
  path: string;
  /** "Bearer <token or JWT>". */
  authorization: string;
  body?: unknown;
  timeoutMs?: number;
}

export interface GitHubResponse {
  status: number;
  body: unknown;
  /** The Link header, when GitHub sent one: where the next page is (see linkTarget). */
  link?: string;
}

export const DEFAULT_TIMEOUT_MS = 30_000;

/** GitHub's `message` field of an error answer, cut short; "" when there is none. */
export function githubMessage(body: unknown): string {
  if (body !== null && typeof body === "object" && "message" in body) {
    const message = body.message;
    if (typeof message === "string") return message.slice(0, 200);
  }
  return "";
}

/** Sends the request and returns any HTTP answer; throws only when no answer came. */
export async function githubRequest(request: GitHubRequest): Promise<GitHubResponse> {
  const timeoutMs = request.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  let response: Response;
  try {
    response = await fetch(`${request.apiUrl}${request.path}`, {
      method: request.method,
      headers: {
        Accept: "application/vnd.github+json",
        "X-GitHub-Api-Version": "2022-11-28",
        "User-Agent": "cto-metal",
        Authorization: request.authorization,
        ...(request.body !== undefined ? { "Content-Type": "application/json" } : {}),
      },
      ...(request.body !== undefined ? { body: JSON.stringify(request.body) } : {}),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    const err = error as { name?: string; message?: string; cause?: { code?: string } };
    const reason =
      err.name === "TimeoutError" || err.name === "AbortError" ? `no answer within ${Math.round(timeoutMs / 1000)} s` : (err.cause?.code ?? err.message ?? "network error");
    throw new Error(`GitHub ${request.method} ${request.path}: ${reason}`);
  }
  const text = await response.text();
  let body: unknown = text;
  try {
    body = text ? (JSON.parse(text) as unknown) : undefined;
  } catch {
    // a non-JSON answer (a proxy's HTML page) stays text
  }
  const link = response.headers.get("link");
  return { status: response.status, body, ...(link ? { link } : {}) };
}

/**
 * The URL of the Link header's entry with this rel ("next", "last", …), or undefined. GitHub sends
 * `<url>; rel="next", <url>; rel="last"`, and its pagination guide pages by requesting the
 * rel="next" URL until there is none ("Using pagination in the REST API", docs.github.com; the
 * header's syntax: RFC 8288).
 */
export function linkTarget(link: string | undefined, rel: string): string | undefined {
  if (!link) return undefined;
  for (const entry of link.matchAll(/<([^>]*)>([^,<]*)/g)) {
    const rels = /;\s*rel\s*=\s*"?([^";]*)"?/i.exec(entry[2] ?? "")?.[1]?.trim().split(/\s+/) ?? [];
    if (rels.includes(rel)) return entry[1];
  }
  return undefined;
}
