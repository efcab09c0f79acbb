// State shared by every Latitude caller in one process. Pulumi serializes each dynamic provider
// separately, so each gets its own copy of this module's code: module variables would not be
// shared between them, but globalThis is.
import { SlidingWindowLimiter, type WindowLimit } from "./rateLimiter";
import type { StatusPoller } from "./statusPoller";

interface SharedState {
  limiters: Map<string, SlidingWindowLimiter>;
  pollers: Map<string, StatusPoller>;
  [other: string]: unknown;
}

// A string key: the closure serializer cannot carry a Symbol.
const SHARED_KEY = "__ctoMetalLatitudeShared_v1";

export function sharedState(): SharedState {
  const holder = globalThis as unknown as Record<string, SharedState | undefined>;
  let state = holder[SHARED_KEY];
  if (!state) {
    state = { limiters: new Map(), pollers: new Map() };
    holder[SHARED_KEY] = state;
  }
  return state;
}

/** A short, non-reversible id for an API key: enough to key shared state and logs, never the key. */
export function keyFingerprint(apiKey: string): string {
  const crypto = require("node:crypto") as typeof import("node:crypto");
  return crypto.createHash("sha256").update(apiKey).digest("hex").slice(0, 12);
}

export function sharedLimiter(scope: string, settings: WindowLimit): SlidingWindowLimiter {
  const limiters = sharedState().limiters;
  const key = `${scope}|${settings.limit}/${settings.windowMs}`;
  let limiter = limiters.get(key);
  if (!limiter) {
    limiter = new SlidingWindowLimiter(settings);
    limiters.set(key, limiter);
  }
  return limiter;
}
