// One HTTP exchange with the Latitude API, with the retry rules that keep money safe:
// reads (and idempotent PATCH/DELETE) retry on 429, 502/503/504, timeouts and resets;
// a POST retries only on 429, where the API says it did nothing. Every request waits for the
// shared per-key budget first. The API key goes in a header and nowhere else.
import { LatitudeApiError, LatitudeTransportError, LatitudeUnknownOutcomeError, parseErrorBody, redact } from "./errors";
import { DEFAULT_READ_LIMIT, DEFAULT_WRITE_LIMIT, type SlidingWindowLimiter, type WindowLimit } from "./rateLimiter";
import { DEFAULT_BACKOFF, backoffDelayMs, isRateLimited, isTransientStatus, rateLimitDelayMs, type BackoffSettings } from "./retryPolicy";
import { keyFingerprint, sharedLimiter } from "./sharedState";

export const API_VERSION = "2023-06-01";

export interface TransportOptions {
  apiUrl: string;
  apiKey: string;
  /** Deadline for one HTTP exchange. */
  requestTimeoutMs?: number;
  /** How long one call may keep retrying before it gives up. */
  retryBudgetMs?: number;
  maxAttempts?: number;
  backoff?: BackoffSettings;
  writeLimit?: WindowLimit;
  readLimit?: WindowLimit | false;
  random?: () => number;
  /** Debug lines (method, path, status, waits); never carries the key. */
  log?: (line: string) => void;
}

export interface RequestSpec {
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
}

export interface Response {
  status: number;
  body: unknown;
}

type Method = "GET" | "POST" | "PATCH" | "DELETE";

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function describeFailure(error: unknown): string {
  if (error instanceof Error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    if (error.name === "TimeoutError" || error.name === "AbortError") return "timed out";
    return cause?.code ?? cause?.message ?? error.message;
  }
  return String(error);
}

export class Transport {
  readonly apiUrl: string;
  /** Identifies the key in shared state and logs without revealing it. */
  readonly keyId: string;
  private readonly apiKey: string;
  private readonly requestTimeoutMs: number;
  private readonly retryBudgetMs: number;
  private readonly maxAttempts: number;
  private readonly backoff: BackoffSettings;
  private readonly writes: SlidingWindowLimiter;
  private readonly reads: SlidingWindowLimiter | undefined;
  private readonly random: () => number;
  private readonly log: (line: string) => void;

  constructor(options: TransportOptions) {
    this.apiUrl = options.apiUrl.replace(/\/+$/, "");
    this.apiKey = options.apiKey;
    this.keyId = keyFingerprint(options.apiKey);
    this.requestTimeoutMs = options.requestTimeoutMs ?? 30_000;
    this.retryBudgetMs = options.retryBudgetMs ?? 300_000;
    this.maxAttempts = options.maxAttempts ?? 12;
    this.backoff = options.backoff ?? DEFAULT_BACKOFF;
    const scope = `${this.apiUrl}|${this.keyId}`;
    this.writes = sharedLimiter(`${scope}|write`, options.writeLimit ?? DEFAULT_WRITE_LIMIT);
    const readLimit = options.readLimit ?? DEFAULT_READ_LIMIT;
    this.reads = readLimit ? sharedLimiter(`${scope}|read`, readLimit) : undefined;
    this.random = options.random ?? Math.random;
    this.log = options.log ?? (() => undefined);
  }

  async request(method: Method, path: string, spec: RequestSpec = {}): Promise<Response> {
    const url = this.url(path, spec.query);
    const isWrite = method !== "GET";
    const retriesTransient = method !== "POST";
    const limiter = isWrite ? this.writes : this.reads;
    const started = Date.now();
    // Only transient failures count against maxAttempts and grow the backoff: a 429 says "nothing
    // was done, wait", so a storm of them must not use up the retries a later reset or 503 needs.
    let failures = 0;
    let rateLimited = 0;
    for (let attempt = 1; ; attempt++) {
      const answered = (await limiter?.acquire()) ?? (() => undefined);
      const outOfTime = Date.now() - started >= this.retryBudgetMs;
      const outOfRetries = outOfTime || failures + 1 >= this.maxAttempts;
      let response: globalThis.Response;
      try {
        response = await fetch(url, {
          method,
          headers: this.headers(spec.body !== undefined),
          body: spec.body === undefined ? undefined : JSON.stringify(spec.body),
          signal: AbortSignal.timeout(this.requestTimeoutMs),
        });
      } catch (error) {
        answered();
        const failure = redact(describeFailure(error), this.apiKey);
        if (!retriesTransient) throw new LatitudeUnknownOutcomeError(method, path, failure);
        if (outOfRetries) throw new LatitudeTransportError(method, path, `${failure} after ${attempt} attempts`);
        await this.wait(backoffDelayMs(++failures, this.backoff, this.random), `${method} ${path}: ${failure}`);
        continue;
      }
      answered();
      let text: string;
      try {
        text = await response.text();
      } catch (error) {
        // The request was answered; only its body was lost. A write may have been applied.
        const failure = redact(describeFailure(error), this.apiKey);
        if (!retriesTransient) throw new LatitudeUnknownOutcomeError(method, path, `body lost: ${failure}`);
        if (outOfRetries) throw new LatitudeTransportError(method, path, `${failure} after ${attempt} attempts`);
        await this.wait(backoffDelayMs(++failures, this.backoff, this.random), `${method} ${path}: ${failure}`);
        continue;
      }
      if (response.ok) return { status: response.status, body: text ? this.parseJson(method, path, text, retriesTransient) : undefined };

      const items = parseErrorBody(redact(text, this.apiKey));
      // A 429 storm is waited out for as long as the time budget allows, whatever the attempt count.
      if (isRateLimited(response.status) && !outOfTime) {
        const delay = rateLimitDelayMs(items[0]?.retryAfterSeconds, response.headers.get("retry-after"), ++rateLimited, this.backoff, this.random);
        limiter?.pauseUntil(Date.now() + delay);
        this.log(`${method} ${path}: 429, every caller of this key waits ${delay} ms`);
        continue;
      }
      if (isTransientStatus(response.status) && retriesTransient && !outOfRetries) {
        await this.wait(backoffDelayMs(++failures, this.backoff, this.random), `${method} ${path}: ${response.status}`);
        continue;
      }
      // A gateway error on a POST says nothing about whether the origin created the resource.
      if (!retriesTransient && (isTransientStatus(response.status) || response.status === 500)) {
        throw new LatitudeUnknownOutcomeError(method, path, `answered ${response.status}`);
      }
      throw new LatitudeApiError(method, path, response.status, items);
    }
  }

  private url(path: string, query: RequestSpec["query"]): string {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query ?? {})) if (value !== undefined) params.set(key, String(value));
    const search = params.toString();
    return `${this.apiUrl}${path}${search ? `?${search}` : ""}`;
  }

  private headers(hasBody: boolean): Record<string, string> {
    return {
      Authorization: `Bearer ${this.apiKey}`,
      "API-Version": API_VERSION,
      Accept: "application/vnd.api+json",
      ...(hasBody ? { "Content-Type": "application/json" } : {}),
    };
  }

  private parseJson(method: string, path: string, text: string, idempotent: boolean): unknown {
    try {
      return JSON.parse(text);
    } catch {
      // A 2xx to a POST that we cannot read still created something.
      if (!idempotent) throw new LatitudeUnknownOutcomeError(method, path, "answered with a body that is not JSON");
      throw new LatitudeTransportError(method, path, "answered with a body that is not JSON");
    }
  }

  private async wait(ms: number, why: string): Promise<void> {
    this.log(`${why}; retrying in ${ms} ms`);
    await sleep(ms);
  }
}
