// The few Vault HTTP calls the init provider makes, each to one pod through the API server's
// per-pod proxy. Serialized into the provider: only local modules are imported.
import { ApiServerUnreachableError, rbacVerb, requestThroughPodProxy } from "../kubernetes/apiServerProxy";
import type { KubeAccess } from "../kubernetes/kubeAccess";
import { redact, vaultErrorText, type PodStatus } from "./vaultDecisions";

export interface VaultTarget {
  access: KubeAccess;
  namespace: string;
  port: number;
}

export interface InitAnswer {
  keys: string[];
  rootToken: string;
}

/** Longest single call; the overall deadline is the caller's. */
const CALL_TIMEOUT_MS = 15_000;

/**
 * /v1/sys/init gets its own, generous timeout, whatever is left of the wait deadline: an init whose
 * answer is lost (we gave up, Vault did not) leaves an initialised Vault without keys, for good.
 */
export const INIT_TIMEOUT_MS = 120_000;

function callTimeout(deadline: number): number {
  return Math.max(1_000, Math.min(CALL_TIMEOUT_MS, deadline - Date.now()));
}

function isKubeStatus(json: unknown): json is { kind: "Status"; message?: string } {
  return json !== null && typeof json === "object" && (json as { kind?: unknown }).kind === "Status";
}

/** Credential problems are not worth waiting for: say so at once, naming the verb this method needs. */
function refuseAuth(target: VaultTarget, status: number, method: string, path: string): void {
  if (status === 401) throw new Error(`the Kubernetes API server ${target.access.server} refused the kubeconfig's credential (401): check the kubeconfig handed to Vault's init`);
  if (status === 403)
    throw new Error(
      `the Kubernetes API server ${target.access.server} forbids proxying to pods in namespace "${target.namespace}" (403): the kubeconfig's user needs "${rbacVerb(method)}" on pods/proxy (for ${method} ${path})`,
    );
}

/** One probe of /v1/sys/seal-status; an unreachable pod (not running yet, no IP) is reported, not thrown. */
export async function probePod(target: VaultTarget, pod: string, deadline: number): Promise<PodStatus> {
  let response;
  try {
    response = await requestThroughPodProxy(target.access, { namespace: target.namespace, pod, port: target.port, method: "GET", path: "/v1/sys/seal-status", timeoutMs: callTimeout(deadline) });
  } catch (error) {
    // A timeout may be a slow pod behind a live API server; anything else is the API server itself.
    if (error instanceof ApiServerUnreachableError && error.code === "ETIMEDOUT") return { pod, reachable: false, detail: error.message };
    throw error;
  }
  refuseAuth(target, response.status, "GET", "/v1/sys/seal-status");
  const json = response.json as { initialized?: unknown; sealed?: unknown; progress?: unknown } | undefined;
  if (response.status === 200 && json && typeof json.sealed === "boolean" && typeof json.initialized === "boolean") {
    return { pod, reachable: true, initialized: json.initialized, sealed: json.sealed, progress: typeof json.progress === "number" ? json.progress : 0 };
  }
  const detail = isKubeStatus(json) ? (json.message ?? `HTTP ${response.status}`) : `HTTP ${response.status}: ${response.text.slice(0, 200)}`;
  return { pod, reachable: false, detail };
}

function pollMs(): number {
  const fromEnv = Number(process.env["CTO_VAULT_POLL_INTERVAL_MS"]);
  return Number.isFinite(fromEnv) && fromEnv >= 10 ? fromEnv : 2_000;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Probes until the pod answers or the deadline passes (then throws, naming the pod and the last answer). */
export async function waitForPod(target: VaultTarget, pod: string, deadline: number, timeoutSeconds: number): Promise<PodStatus> {
  for (;;) {
    const status = await probePod(target, pod, deadline);
    if (status.reachable) return status;
    if (Date.now() + pollMs() > deadline) {
      throw new Error(`Vault pod ${target.namespace}/${pod} did not answer within ${timeoutSeconds} s (last: ${status.detail ?? "no answer"}); check \`kubectl -n ${target.namespace} get pods\`, then run \`pulumi up\` again`);
    }
    await sleep(pollMs());
  }
}

/** A non-2xx answer from Vault (or the API server in front of it). */
class VaultCallError extends Error {
  constructor(
    message: string,
    readonly status: number,
    /** Vault's own error text (or the API server's message), already redacted. */
    readonly said: string,
  ) {
    super(message);
    this.name = "VaultCallError";
  }
}

/** One Vault call; a 2xx answer's JSON, or the error Vault (or the API server) gave, secrets redacted. */
async function call(target: VaultTarget, pod: string, method: "PUT" | "POST", path: string, body: unknown, timeoutMs: number, secrets: readonly string[]) {
  const response = await requestThroughPodProxy(target.access, { namespace: target.namespace, pod, port: target.port, method, path, body, timeoutMs });
  refuseAuth(target, response.status, method, path);
  if (response.status < 200 || response.status >= 300) {
    const text = redact(isKubeStatus(response.json) ? (response.json.message ?? "") : vaultErrorText(response.json, response.text.slice(0, 200), secrets), secrets);
    throw new VaultCallError(`Vault pod ${target.namespace}/${pod}: ${method} ${path} answered ${response.status}: ${text}`, response.status, text);
  }
  return response.json;
}

/**
 * Whether an unseal reset was refused because the pod is unsealed already: OpenBao and Vault answer a
 * reset to an unsealed core with 400 "vault is unsealed" (http/sys_seal.go, handleSysUnseal). A pod
 * that was unsealed since the probe (by an operator, or a run beside this one) is done, not failed.
 */
export function isAlreadyUnsealed(error: unknown): boolean {
  return error instanceof VaultCallError && error.status === 400 && /\bvault is unsealed\b/i.test(error.said);
}

export async function initialize(target: VaultTarget, pod: string, shares: number, threshold: number): Promise<InitAnswer> {
  const json = (await call(target, pod, "PUT", "/v1/sys/init", { secret_shares: shares, secret_threshold: threshold }, INIT_TIMEOUT_MS, [])) as { keys_base64?: unknown; keys?: unknown; root_token?: unknown } | undefined;
  const keys = Array.isArray(json?.keys_base64) ? json.keys_base64 : json?.keys;
  if (!Array.isArray(keys) || keys.length < threshold || typeof json?.root_token !== "string") {
    throw new Error(`Vault pod ${target.namespace}/${pod}: the init answer carried no keys or root token`);
  }
  return { keys: keys.map(String), rootToken: json.root_token };
}

export async function joinRaft(target: VaultTarget, pod: string, leaderAddress: string, deadline: number): Promise<void> {
  await call(target, pod, "POST", "/v1/sys/storage/raft/join", { leader_api_addr: leaderAddress }, callTimeout(deadline), []);
}

/** Gives keys until the pod is unsealed; a Raft follower may take a moment after the last key. */
export async function unsealPod(target: VaultTarget, pod: string, keys: readonly string[], threshold: number, reset: boolean, deadline: number, timeoutSeconds: number): Promise<void> {
  if (reset) {
    try {
      await call(target, pod, "PUT", "/v1/sys/unseal", { reset: true }, callTimeout(deadline), keys);
    } catch (error) {
      if (isAlreadyUnsealed(error)) return;
      throw error;
    }
  }
  for (const key of keys.slice(0, threshold)) {
    const answer = (await call(target, pod, "PUT", "/v1/sys/unseal", { key }, callTimeout(deadline), keys)) as { sealed?: unknown } | undefined;
    if (answer?.sealed === false) return;
  }
  for (;;) {
    const status = await probePod(target, pod, deadline);
    if (status.reachable && status.sealed === false) return;
    if (Date.now() + pollMs() > deadline) {
      throw new Error(`Vault pod ${target.namespace}/${pod} stayed sealed after ${threshold} unseal keys within ${timeoutSeconds} s; check its log (kubectl -n ${target.namespace} logs ${pod}), then run \`pulumi up\` again`);
    }
    await sleep(pollMs());
  }
}
