// The critical path of a `pulumi up` of the Latitude layer, and its request bill, from the
// emulator's request log. Pure: the engine bench measures, these functions decide.
import type { RequestLogEntry } from "../emulator";

export interface CriticalPathInput {
  log: readonly RequestLogEntry[];
  deployMs: number;
  /** Wall time of a no-op `pulumi preview`: program start, plugin start, catalogue reads, shutdown. */
  noopPreviewMs: number;
  /** The API's write budget (Latitude: 20 per 60 s). */
  writesPerWindow: number;
  windowMs: number;
}

export interface CriticalPath {
  fixedS: number;
  /** Accepted writes the up needed (refused and lost ones are retries, not needs). */
  writes: number;
  /** The slowest single deploy. */
  slowestDeployS: number;
  /** The last write cannot leave before (⌈writes / budget⌉ − 1) full windows. */
  writeFloorS: number;
  /** Writes that must precede the last server POST (project, tag, every POST), and when it can go at best. */
  writesUpToLastPost: number;
  lastPostFloorS: number;
  /** The last POST's earliest window plus one deploy. */
  deployBoundS: number;
  totalS: number;
}

const isServerWrite = (entry: RequestLogEntry): boolean => entry.path === "/servers" || entry.path.startsWith("/servers/");
const accepted = (entry: RequestLogEntry): boolean => entry.status >= 200 && entry.status < 400;
const round = (ms: number): number => Math.round(ms) / 1000;

/**
 * fixed + max(slowest deploy, write floor, last POST's earliest window + deploy). In the best order
 * the writes the servers depend on go first, then every POST, then the tag PATCHes.
 */
export function criticalPath(input: CriticalPathInput): CriticalPath {
  const writes = input.log.filter((entry) => entry.method !== "GET" && accepted(entry));
  const firstPost = writes.findIndex((entry) => entry.method === "POST" && entry.path === "/servers");
  const prior = writes.slice(0, Math.max(0, firstPost)).filter((entry) => !isServerWrite(entry)).length;
  const posts = writes.filter((entry) => entry.method === "POST" && entry.path === "/servers").length;
  const windowStart = (count: number): number => (Math.ceil(count / input.writesPerWindow) - 1) * input.windowMs;
  const writeFloor = Math.max(0, windowStart(writes.length));
  const lastPost = Math.max(0, windowStart(prior + posts));
  const deployBound = lastPost + input.deployMs;
  const total = input.noopPreviewMs + Math.max(input.deployMs, writeFloor, deployBound);
  return {
    fixedS: round(input.noopPreviewMs),
    writes: writes.length,
    slowestDeployS: round(input.deployMs),
    writeFloorS: round(writeFloor),
    writesUpToLastPost: prior + posts,
    lastPostFloorS: round(lastPost),
    deployBoundS: round(deployBound),
    totalS: round(total),
  };
}

export interface RequestBill {
  total: number;
  byKind: Record<string, number>;
  /** Requests spent on the servers from create to ready (lookup, POST, tag PATCH, status polls), per server. */
  perServer: number;
  status429: number;
}

export function kindOf(entry: RequestLogEntry): string {
  if (entry.path === "/servers" && entry.method === "GET") return entry.query["filter[hostname]"] !== undefined ? "adoptLookup" : "statusPoll";
  if (entry.path === "/servers" && entry.method === "POST") return "serverPost";
  if (entry.path.startsWith("/servers/") && entry.method === "PATCH") return "serverPatch";
  return `${entry.method} ${entry.path.replace(/\/[a-z]+_[A-Za-z0-9]+/g, "/{id}")}`;
}

export function perServerRequests(log: readonly RequestLogEntry[], servers: number): RequestBill {
  const byKind: Record<string, number> = {};
  for (const entry of log) byKind[kindOf(entry)] = (byKind[kindOf(entry)] ?? 0) + 1;
  const serverRequests = ["adoptLookup", "serverPost", "serverPatch", "statusPoll"].reduce((sum, kind) => sum + (byKind[kind] ?? 0), 0);
  return { total: log.length, byKind, perServer: Math.round((serverRequests / servers) * 100) / 100, status429: log.filter((entry) => entry.status === 429).length };
}
