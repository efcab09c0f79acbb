// When and how long to wait before retrying a Latitude request. Pure: the caller supplies the
// random source, so tests can pin the jitter.

export interface BackoffSettings {
  baseMs: number;
  factor: number;
  maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffSettings = { baseMs: 500, factor: 2, maxMs: 30_000 };

/** Statuses that say "nothing was done, try again": safe to retry for reads and writes alike. */
export function isRateLimited(status: number): boolean {
  return status === 429;
}

/** Gateway failures: retried for reads only, since a write may have been applied behind them. */
export function isTransientStatus(status: number): boolean {
  return status === 502 || status === 503 || status === 504;
}

/** Exponential backoff with full jitter (AWS architecture blog): spreads retrying callers apart. */
export function backoffDelayMs(attempt: number, settings: BackoffSettings, random: () => number): number {
  const ceiling = Math.min(settings.maxMs, settings.baseMs * settings.factor ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/**
 * How long to wait after a 429: the API's `errors[0].meta.retry_after` (seconds), else a
 * `Retry-After` header (seconds), else backoff. A little jitter keeps many waiting callers from
 * returning in the same millisecond.
 */
export function rateLimitDelayMs(
  retryAfterSeconds: number | undefined,
  retryAfterHeader: string | null,
  attempt: number,
  settings: BackoffSettings,
  random: () => number,
): number {
  const headerSeconds = retryAfterHeader !== null ? Number(retryAfterHeader) : NaN;
  const seconds = retryAfterSeconds ?? (Number.isFinite(headerSeconds) ? headerSeconds : undefined);
  if (seconds === undefined) return backoffDelayMs(attempt, settings, random);
  return Math.round(seconds * 1000 + random() * 250);
}
