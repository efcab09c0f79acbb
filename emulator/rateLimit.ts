// Per-key sliding-window rate limiting: reads (GET) and writes (everything else) counted apart.
import { ApiError } from "./http";
import type { RateLimitConfig } from "./types";

export type RequestClass = "read" | "write";

export function classify(method: string): RequestClass {
  return method === "GET" || method === "HEAD" ? "read" : "write";
}

export class RateLimiter {
  /** Accepted request times per `<keyHash>:<class>`; refused requests are not counted. */
  private readonly hits = new Map<string, number[]>();

  /** Records the request, or throws the documented 429 with `meta.retry_after` (whole seconds, ≥ 1). */
  take(keyHash: string, cls: RequestClass, config: RateLimitConfig, retryAfterHeader: boolean, now = Date.now()): void {
    const bucket = `${keyHash}:${cls}`;
    const limit = cls === "read" ? config.reads : config.writes;
    const times = (this.hits.get(bucket) ?? []).filter((t) => t > now - config.windowMs);
    this.hits.set(bucket, times);
    if (times.length < limit) {
      times.push(now);
      return;
    }
    const oldest = times[0] ?? now;
    const retryAfter = Math.max(1, Math.ceil((oldest + config.windowMs - now) / 1000));
    const detail = `Rate limit of ${limit} ${cls === "read" ? "GET" : "write"} requests per ${Math.round(config.windowMs / 1000)} s exceeded; retry in ${retryAfter} s`;
    throw new ApiError(
      429,
      [{ code: "RATE_LIMIT_EXCEEDED", status: "429", title: "Rate Limit Exceeded", detail, meta: { retry_after: retryAfter } }],
      retryAfterHeader ? { "Retry-After": String(retryAfter) } : {},
    );
  }

  reset(): void {
    this.hits.clear();
  }
}
