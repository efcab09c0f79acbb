// HTTP plumbing: request log, faults, auth, content negotiation, rate limit, routing, envelopes.
import type { IncomingMessage, ServerResponse } from "node:http";
import { createHash, randomUUID } from "node:crypto";
import { notifyExchange, notifyStart, observed } from "./exchangeObserver";
import { ApiError, badRequest, errorObject, jsonText, notFound, type Reply } from "./http";
import type { Rng } from "./ids";
import { keyHash } from "./ids";
import type { Lifecycle } from "./lifecycle";
import { classify, type RateLimiter } from "./rateLimit";
import { match, type Route } from "./router";
import type { Store } from "./store";
import type { Knobs, RequestLogEntry } from "./types";

export interface Env {
  store: Store;
  lifecycle: Lifecycle;
  knobs: Knobs;
  routes: readonly Route[];
  log: RequestLogEntry[];
  /** Undefined: any non-empty key is accepted. */
  apiKeys?: ReadonlySet<string>;
  limiter: RateLimiter;
  rng: Rng;
  nextLogId: () => number;
}

const JSON_TYPE = "application/vnd.api+json; charset=utf-8";
const MAX_BODY = 1024 * 1024;

/** `Authorization: <key>` (official SDKs) or `Authorization: Bearer <key>` (docs). */
function apiKey(header: string | undefined): string {
  const value = (header ?? "").trim();
  return /^bearer\s+/i.test(value) ? value.replace(/^bearer\s+/i, "").trim() : value;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size <= MAX_BODY) chunks.push(c);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function unauthorized(): ApiError {
  return new ApiError(401, [errorObject(401, "UNAUTHORIZED", "Unauthorized", "Invalid token")]);
}

/** GET faults, in order: connection reset, deterministic 503, random 502/503. */
function readFault(env: Env): "reset" | 502 | 503 | undefined {
  const k = env.knobs;
  if (k.resetNextReads > 0) {
    k.resetNextReads--;
    return "reset";
  }
  if (k.failNextReads > 0) {
    k.failNextReads--;
    return 503;
  }
  if (k.readErrorRate > 0 && env.rng.next() < k.readErrorRate) return env.rng.next() < 0.5 ? 502 : 503;
  return undefined;
}

export function createHandler(env: Env): (req: IncomingMessage, res: ServerResponse) => void {
  const failure = notifyStart(env.routes);
  if (failure) env.lifecycle.warnings.push(failure);
  return (req, res) => {
    handle(env, req, res).catch((err: unknown) => {
      if (!res.headersSent) res.writeHead(500).end();
      env.lifecycle.warnings.push(`unhandled: ${String(err)}`);
    });
  };
}

async function handle(env: Env, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? "/", "http://127.0.0.1");
  const method = (req.method ?? "GET").toUpperCase();
  const key = apiKey(req.headers.authorization);
  const entry: RequestLogEntry = {
    id: env.nextLogId(),
    method,
    path: url.pathname,
    query: Object.fromEntries(url.searchParams),
    status: 0,
    startedAt: Date.now(),
    endedAt: 0,
    keyHash: keyHash(key),
  };
  // Logged on arrival so the log is in arrival order even when handlers overlap.
  env.log.push(entry);
  const raw = await readBody(req);
  let body: unknown;
  let malformed = false;
  if (raw.trim() !== "") {
    try {
      body = JSON.parse(raw) as unknown;
      entry.body = body;
    } catch {
      malformed = true;
    }
  }

  const bodyText = (reply: Reply): string | undefined => (reply.body === undefined || reply.status === 204 ? undefined : jsonText(reply.body));
  // What the emulator produced, for an observer (the test suite's OpenAPI oracle), as on the wire.
  const observe = (reply: Reply, text: string | undefined): void => {
    if (!observed()) return;
    const failure = notifyExchange({
      method,
      path: url.pathname,
      query: entry.query,
      requestHeaders: req.headers,
      requestBody: malformed ? raw : body,
      status: reply.status,
      responseBody: text === undefined ? undefined : (JSON.parse(text) as unknown),
    });
    if (failure) env.lifecycle.warnings.push(failure);
  };
  const send = (reply: Reply, extra: Record<string, string> = {}): void => {
    entry.status = reply.status;
    entry.endedAt = Date.now();
    const headers: Record<string, string> = {
      "X-Request-Id": randomUUID(),
      "X-Runtime": ((entry.endedAt - entry.startedAt) / 1000).toFixed(6),
      "Cache-Control": "max-age=0, private, must-revalidate",
      ...extra,
    };
    const text = bodyText(reply);
    observe(reply, text);
    if (text === undefined) {
      res.writeHead(reply.status, headers).end();
      return;
    }
    if (reply.status === 200) headers.ETag = `W/"${createHash("md5").update(text).digest("hex")}"`;
    res.writeHead(reply.status, { ...headers, "Content-Type": JSON_TYPE }).end(text);
  };
  const destroy = (): void => {
    entry.status = 0;
    entry.endedAt = Date.now();
    req.socket.destroy();
  };

  try {
    if (env.knobs.rateLimitNext > 0) {
      // A storm at the edge: refused before anything is looked at, so nothing is done.
      env.knobs.rateLimitNext--;
      throw new ApiError(
        429,
        [{ code: "RATE_LIMIT_EXCEEDED", status: "429", title: "Rate Limit Exceeded", detail: "Rate limit exceeded; retry in 1 s", meta: { retry_after: 1 } }],
        env.knobs.retryAfterHeader ? { "Retry-After": "1" } : {},
      );
    }
    if (method === "GET") {
      const fault = readFault(env);
      if (fault === "reset") return destroy();
      if (fault === 502) {
        // What the edge (Cloudflare) sends: HTML, not JSON. Clients must key off the status.
        entry.status = 502;
        entry.endedAt = Date.now();
        res.writeHead(502, { "Content-Type": "text/html; charset=UTF-8" }).end("<html><head><title>502 Bad Gateway</title></head><body>502 Bad Gateway</body></html>");
        return;
      }
      if (fault === 503) {
        throw new ApiError(503, [errorObject(503, "SERVICE_UNAVAILABLE", "Service Unavailable", "The service is temporarily unavailable, try again later")]);
      }
    }
    if (key === "" || (env.apiKeys !== undefined && !env.apiKeys.has(key))) throw unauthorized();
    const version = req.headers["api-version"];
    if (typeof version === "string" && !/^\d{4}-\d{2}-\d{2}$/.test(version.trim())) {
      throw badRequest("API-Version must be a date such as 2023-06-01");
    }
    const contentType = (req.headers["content-type"] ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
    if (raw.trim() !== "" && contentType !== "" && contentType !== "application/json" && contentType !== "application/vnd.api+json") {
      throw new ApiError(415, [errorObject(415, "UNSUPPORTED_MEDIA_TYPE", "Unsupported Media Type", "Send application/json or application/vnd.api+json")]);
    }
    if (malformed) throw badRequest("The request body is not valid JSON");
    if (env.knobs.rateLimit) env.limiter.take(entry.keyHash, classify(method), env.knobs.rateLimit, env.knobs.retryAfterHeader);

    const found = match(env.routes, method, url.pathname);
    if (!found) throw notFound();
    const reply = await found.route.handler({
      method,
      params: found.params,
      query: entry.query,
      body,
      store: env.store,
      lifecycle: env.lifecycle,
      knobs: env.knobs,
    });
    if (found.route.createsServer && reply.status === 201 && env.knobs.loseNextServerPosts > 0) {
      // The server exists now; the client only sees its connection drop.
      env.knobs.loseNextServerPosts--;
      observe(reply, bodyText(reply));
      return destroy();
    }
    send(reply);
  } catch (err) {
    if (err instanceof ApiError) {
      send({ status: err.httpStatus, body: { errors: err.errors } }, err.headers);
      return;
    }
    env.lifecycle.warnings.push(`${method} ${url.pathname}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    send({ status: 500, body: { errors: [errorObject(500, "INTERNAL_SERVER_ERROR", "Internal Server Error", "Something went wrong")] } });
  }
}
