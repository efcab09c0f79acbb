// Shared pieces of the engine-tier scenarios: the stack config of a Latitude-only stack, the
// program's environment against the emulator, and what the emulator holds of one stack (to prove
// nothing is duplicated, untracked or left behind).
import type { ConfigMap, Stack } from "@pulumi/pulumi/automation";
import type { Emulator } from "../../emulator";

export const SENTINEL_TOKEN = "sentinel-latitude-token-9f3c1e";

/** A stack that stops after the servers (the talos plugin cannot be built offline). */
export function latitudeOnlyConfig(stack: string, nodes: object[], extra: Record<string, string> = {}): ConfigMap {
  const map: ConfigMap = {
    "cto-metal:project": { value: JSON.stringify({ name: `engine-${stack}` }) },
    "cto-metal:site": { value: "MIA2" },
    "cto-metal:plan": { value: "c2-small-x86" },
    "cto-metal:nodes": { value: JSON.stringify(nodes) },
    "cto-metal:deployTimeoutMinutes": { value: "1" },
    "cto-metal:stopAfter": { value: "servers" },
    "latitudesh:authToken": { value: SENTINEL_TOKEN, secret: true },
  };
  for (const [key, value] of Object.entries(extra)) map[`cto-metal:${key}`] = { value };
  return map;
}

/** The program's environment: short poll and rate windows, as the lifecycle tier uses. */
export function emulatorEnv(emulator: Emulator, overrides: Record<string, string> = {}): Record<string, string> {
  return { LATITUDESH_API_URL: emulator.url, LATITUDESH_POLL_INTERVAL_MS: "100", LATITUDESH_RATE_WINDOW_MS: "2000", ...overrides };
}

async function list(emulator: Emulator, route: string): Promise<Array<{ id: string; attributes?: Record<string, unknown> }>> {
  const response = await fetch(`${emulator.url}${route}`, { headers: { Authorization: SENTINEL_TOKEN }, signal: AbortSignal.timeout(5000) });
  return ((await response.json()) as { data: Array<{ id: string; attributes?: Record<string, unknown> }> }).data;
}

export interface StackInventory {
  /** Server ids whose hostname carries the stack name (`<prefix>-<project>-<stack>-<node>`). */
  servers: string[];
  projects: string[];
  tags: string[];
  vlans: string[];
  sshKeys: string[];
}

/** What the emulator holds of this stack, read directly and over HTTP. */
export async function inventory(emulator: Emulator, stack: string, sshKeyName?: string): Promise<StackInventory> {
  // Faults off while we look (restored after): this is the test's view, not the program's.
  const k = emulator.knobs;
  const saved = { rateLimit: k.rateLimit, rateLimitNext: k.rateLimitNext, readErrorRate: k.readErrorRate, failNextReads: k.failNextReads, resetNextReads: k.resetNextReads };
  Object.assign(k, { rateLimit: false, rateLimitNext: 0, readErrorRate: 0, failNextReads: 0, resetNextReads: 0 });
  try {
    const projects = (await list(emulator, `/projects?filter[name]=engine-${stack}`)).map((p) => p.id);
    const tags = (await list(emulator, "/tags")).filter((t) => `${t.attributes?.["name"] as string}`.endsWith(`-${stack}`)).map((t) => t.id);
    const vlans = (await list(emulator, "/virtual_networks")).filter((v) => projects.some((p) => JSON.stringify(v).includes(p)) || JSON.stringify(v).includes(`-${stack}`)).map((v) => v.id);
    const sshKeys = sshKeyName ? (await list(emulator, "/ssh_keys")).filter((k) => k.attributes?.["name"] === sshKeyName).map((k) => k.id) : [];
    const servers = emulator.servers().filter((s) => s.hostname.includes(`-${stack}-`)).map((s) => s.id);
    return { servers, projects, tags, vlans, sshKeys };
  } finally {
    Object.assign(k, saved);
  }
}

interface StateResource {
  urn: string;
  type: string;
  id?: string;
  outputs?: Record<string, unknown>;
  initErrors?: string[];
}

export interface StateView {
  resources: StateResource[];
  pending: Array<{ type: string; resource: { urn: string; type: string } }>;
  /** Latitude server ids recorded in state. */
  serverIds: string[];
}

/** The stack's deployment as the engine recorded it (exportStack). */
export async function stateOf(stack: Stack): Promise<StateView> {
  const deployment = (await stack.exportStack()).deployment as { resources?: StateResource[]; pending_operations?: StateView["pending"] };
  const resources = deployment.resources ?? [];
  const serverIds = resources.filter((r) => r.type === "pulumi-nodejs:dynamic/latitude:Server" && r.id).map((r) => r.id!);
  return { resources, pending: deployment.pending_operations ?? [], serverIds };
}

/** Lines of engine output that show a rate-limit answer reaching the user. */
export function rateLimitLines(log: readonly string[]): string[] {
  return log.filter((line) => /\b429\b|RATE_LIMIT|Rate limit/i.test(line));
}
