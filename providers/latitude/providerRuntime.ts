// What every Latitude dynamic provider needs at run time: the stack config handed over by the
// engine's `configure` call, and one client per API key. Both live in the process-wide shared
// state: each provider is serialized separately, and the key must never be captured in code.
import type * as pulumi from "@pulumi/pulumi";
import { LatitudeClient } from "./client";
import { resolveCredentials, type ConfigSource } from "./credentials";
import { DEFAULT_READ_LIMIT, DEFAULT_WRITE_LIMIT } from "./rateLimiter";
import { keyFingerprint, sharedState } from "./sharedState";

interface RuntimeState {
  config?: ConfigSource;
  clients: Map<string, LatitudeClient>;
}

// String keys: the closure serializer cannot carry a Symbol.
const RUNTIME_KEY = "cto-metal.latitude.runtime/v1";

function runtime(): RuntimeState {
  const holder = sharedState() as unknown as Record<string, RuntimeState | undefined>;
  let state = holder[RUNTIME_KEY];
  if (!state) {
    state = { clients: new Map() };
    holder[RUNTIME_KEY] = state;
  }
  return state;
}

/** Called from each provider's `configure`: the engine passes the whole stack config, secrets decrypted. */
export function rememberProviderConfig(config: ConfigSource): void {
  runtime().config = config;
}

/** Interval of the shared status poller; LATITUDESH_POLL_INTERVAL_MS shortens it for the emulator. */
export function pollIntervalMs(env: NodeJS.ProcessEnv = process.env): number {
  const fromEnv = Number(env["LATITUDESH_POLL_INTERVAL_MS"]);
  return Number.isFinite(fromEnv) && fromEnv >= 10 ? fromEnv : 10_000;
}

/**
 * Length of the rate-limit window; LATITUDESH_RATE_WINDOW_MS shrinks it for an emulator whose
 * limits run on a shorter window (the real API: 60 s).
 */
export function rateWindowMs(env: NodeJS.ProcessEnv = process.env): number {
  const fromEnv = Number(env["LATITUDESH_RATE_WINDOW_MS"]);
  return Number.isFinite(fromEnv) && fromEnv >= 100 ? fromEnv : 60_000;
}

/** The client for the configured credentials, resolved at call time (after a key rotation too). */
export function providerClient(): LatitudeClient {
  const state = runtime();
  const credentials = resolveCredentials(state.config);
  const interval = pollIntervalMs();
  const windowMs = rateWindowMs();
  const key = `${credentials.apiUrl}|${keyFingerprint(credentials.apiKey)}|${interval}|${windowMs}`;
  let client = state.clients.get(key);
  if (!client) {
    client = new LatitudeClient({
      ...credentials,
      pollIntervalMs: interval,
      writeLimit: { ...DEFAULT_WRITE_LIMIT, windowMs },
      readLimit: { ...DEFAULT_READ_LIMIT, windowMs },
    });
    state.clients.set(key, client);
  }
  return client;
}

/**
 * An error the engine records as "created (or updated), but failed to initialise": the id stays in
 * state, with `properties` as its outputs and, after an update, the new inputs. Thrown from create
 * and from update alike, so what happened to the resource is never lost.
 */
export function initFailure(id: string, properties: object, reason: string): Error {
  const error = new Error(reason) as Error & { id: string; properties: object; reasons: string[] };
  error.id = id;
  // Encodable, as every output (see withEncodableOutputs): the host's Struct throws on `undefined`.
  error.properties = definedOnly(properties);
  error.reasons = [reason];
  return error;
}

export function errorText(error: unknown): string {
  // By shape: an error of a closure-serialized class is no `instanceof Error` (see errors.ts).
  const message = (error as { message?: unknown } | null)?.message;
  return typeof message === "string" ? message : String(error);
}

/** A copy without `undefined` properties (deeply): the dynamic-provider host cannot encode them. */
export function definedOnly<T>(value: T): T {
  return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);
}

/**
 * Wraps a provider so every output it returns is encodable: the host turns outputs into a protobuf
 * Struct, which throws on an `undefined` property ("Unexpected struct type") and fails the run.
 */
export function withEncodableOutputs<I, O>(provider: pulumi.dynamic.ResourceProvider<I, O>): pulumi.dynamic.ResourceProvider<I, O> {
  const { create, read, update } = provider;
  return {
    ...provider,
    ...(create && { create: async (inputs: I) => definedOnly(await create.call(provider, inputs)) }),
    ...(read && { read: async (id: string, props?: O) => definedOnly(await read.call(provider, id, props)) }),
    ...(update && { update: async (id: string, olds: O, news: I) => definedOnly(await update.call(provider, id, olds, news)) }),
  };
}
