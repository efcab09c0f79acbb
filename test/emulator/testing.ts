// Small helpers for tests that talk to the emulator over real HTTP and TCP.
import { generateKeyPairSync } from "node:crypto";
import { createServer, connect } from "node:net";
import { RAW_CLIENT_HEADER } from "../latitudeSpec/oracle";

export interface ApiResponse {
  status: number;
  headers: Headers;
  /** Parsed JSON, or the raw text when the body is not JSON, or undefined when empty. */
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- tests index into arbitrary API shapes
}

export interface ApiClient {
  get(path: string): Promise<ApiResponse>;
  post(path: string, body?: unknown): Promise<ApiResponse>;
  patch(path: string, body: unknown): Promise<ApiResponse>;
  del(path: string): Promise<ApiResponse>;
  request(method: string, path: string, init?: { body?: string; headers?: Record<string, string> }): Promise<ApiResponse>;
}

/**
 * A fetch-based client; `key` null sends no Authorization header. It marks its requests as the
 * raw test client's, so the OpenAPI oracle (test/latitudeSpec) excuses a malformed request the
 * emulator refuses, but not one it accepts.
 */
export function apiClient(baseUrl: string, key: string | null = "test-key"): ApiClient {
  const request = async (method: string, path: string, init: { body?: string; headers?: Record<string, string> } = {}): Promise<ApiResponse> => {
    const headers: Record<string, string> = { Accept: "application/vnd.api+json", "API-Version": "2023-06-01", [RAW_CLIENT_HEADER]: "1", ...init.headers };
    if (key !== null) headers.Authorization = `Bearer ${key}`;
    if (init.body !== undefined) headers["Content-Type"] ??= "application/json";
    const res = await fetch(`${baseUrl}${path}`, { method, headers, ...(init.body !== undefined ? { body: init.body } : {}) });
    const text = await res.text();
    let body: unknown = undefined;
    if (text !== "") {
      try {
        body = JSON.parse(text) as unknown;
      } catch {
        body = text;
      }
    }
    return { status: res.status, headers: res.headers, body };
  };
  const json = (v: unknown): { body?: string } => (v === undefined ? {} : { body: JSON.stringify(v) });
  return {
    request,
    get: (path) => request("GET", path),
    post: (path, body) => request("POST", path, json(body)),
    patch: (path, body) => request("PATCH", path, json(body)),
    del: (path) => request("DELETE", path),
  };
}

/** Polls `check` until it returns a value other than undefined, or fails after `timeoutMs`. */
export async function waitFor<T>(check: () => Promise<T | undefined> | T | undefined, timeoutMs = 5000, everyMs = 20): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** Whether a TCP connection to host:port is accepted (closed again at once). */
export function canConnect(host: string, port: number, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once("connect", () => done(true));
    socket.once("error", () => done(false));
  });
}

/** A port that was free a moment ago (for a non-default Talos port). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen({ host: "127.0.0.1", port: 0 }, () => {
      const addr = srv.address();
      const port = typeof addr === "object" && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** A fresh ed25519 key in OpenSSH `authorized_keys` form, and its raw blob. */
export function sshPublicKey(comment = "test@emulator"): { line: string; blob: Buffer } {
  const { publicKey } = generateKeyPairSync("ed25519");
  const der = publicKey.export({ type: "spki", format: "der" });
  const raw = der.subarray(der.length - 32);
  const str = (b: Buffer): Buffer => Buffer.concat([Buffer.from([0, 0, 0, b.length]), b]);
  const blob = Buffer.concat([str(Buffer.from("ssh-ed25519")), str(raw)]);
  return { line: `ssh-ed25519 ${blob.toString("base64")} ${comment}`, blob };
}

function fieldOf(item: unknown, field: string): unknown {
  if (typeof item !== "object" || item === null) return undefined;
  const rec = item as Record<string, unknown>;
  if (field in rec) return rec[field];
  const attrs = rec.attributes;
  return typeof attrs === "object" && attrs !== null ? (attrs as Record<string, unknown>)[field] : undefined;
}

/** `field` of every item of a list: a top-level member (`id`) or else an attribute (`slug`). */
export function pluck(items: unknown, field = "id"): unknown[] {
  return Array.isArray(items) ? items.map((i) => fieldOf(i, field)) : [];
}

/** The first item whose `field` (top-level or attribute) equals `value`. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests index into arbitrary API shapes
export function findBy(items: unknown, field: string, value: unknown): any {
  return Array.isArray(items) ? items.find((i) => fieldOf(i, field) === value) : undefined;
}
