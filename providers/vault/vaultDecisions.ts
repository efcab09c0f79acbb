// Pure decisions of the Vault init/unseal provider, from what each pod's /v1/sys/seal-status says
// (it always answers 200 and carries both `initialized` and `sealed`, unlike /v1/sys/health, whose
// status codes the API server proxy would have to be told apart from its own). No I/O here.

/** One pod as the provider saw it; `reachable: false` when the API server could not proxy to it. */
export interface PodStatus {
  pod: string;
  reachable: boolean;
  initialized?: boolean;
  sealed?: boolean;
  /** Unseal keys already given towards the threshold (a half-finished unseal). */
  progress?: number;
  /** Why it is unreachable, as the API server said it (no secrets: this is a status text). */
  detail?: string;
}

export type InitDecision =
  | { action: "initialize"; pod: string }
  | { action: "none" }
  | { action: "initialisedWithoutKeys"; pod: string }
  | { action: "keysWithoutVault" };

/**
 * Whether to initialise. Only pod 0 is ever initialised, and only when no keys are in state and no
 * pod says it is initialised: initialising a second time would make a new, empty Vault.
 */
export function decideInit(statuses: PodStatus[], haveKeys: boolean): InitDecision {
  const first = statuses[0];
  if (!first) throw new Error("a Vault cluster needs at least one pod");
  const initialised = statuses.find((s) => s.reachable && s.initialized === true);
  if (!haveKeys) {
    if (initialised) return { action: "initialisedWithoutKeys", pod: initialised.pod };
    return first.reachable && first.initialized === false ? { action: "initialize", pod: first.pod } : { action: "none" };
  }
  // Keys in state but every reachable pod (pod 0 among them) says "not initialised": the data is gone.
  if (!initialised && first.reachable && first.initialized === false) return { action: "keysWithoutVault" };
  return { action: "none" };
}

export interface PodStep {
  pod: string;
  /** Raft join (to the leader's in-cluster address) before unsealing: an empty follower. */
  join: boolean;
  /** Clear a half-finished unseal first, so the keys count from zero. */
  reset: boolean;
}

export interface UnsealPlan {
  /** Pods to join and/or unseal, in pod order (pod 0 first: followers join a live leader). */
  steps: PodStep[];
  /** Pods that did not answer yet: wait for them (with a deadline), then plan again. */
  waiting: string[];
}

/** What to do to every pod so that all are joined and unsealed; `leader` is the pod that was initialised. */
export function planUnseal(statuses: PodStatus[], leader: string): UnsealPlan {
  const steps: PodStep[] = [];
  const waiting: string[] = [];
  for (const status of statuses) {
    if (!status.reachable) {
      waiting.push(status.pod);
      continue;
    }
    const join = status.pod !== leader && status.initialized === false;
    if (join || status.sealed !== false) steps.push({ pod: status.pod, join, reset: (status.progress ?? 0) > 0 });
  }
  return { steps, waiting };
}

/** Pods that are sealed now, or not answering (a pod that restarts comes back sealed). */
export function sealedPodsOf(statuses: PodStatus[]): string[] {
  return statuses.filter((s) => !s.reachable || s.sealed !== false).map((s) => s.pod);
}

/** The Helm release a StatefulSet pod belongs to: "vault-2" → "vault". */
export function releaseOfPod(pod: string): string {
  return pod.replace(/-\d+$/, "");
}

/** In-cluster API address of pod 0 through the chart's headless service, for Raft joins. */
export function defaultLeaderAddress(pods: string[], port: number): string {
  const first = pods[0] ?? "vault-0";
  return `http://${first}.${releaseOfPod(first)}-internal:${port}`;
}

/** The id of a VaultInit: one per namespace and release. */
export function vaultInitId(namespace: string, pods: string[]): string {
  return `${namespace}/${releaseOfPod(pods[0] ?? "vault-0")}`;
}

/**
 * The documented recovery when Vault is initialised but the keys are not in state: the run died
 * between the init call and its answer, or the state was lost.
 */
export function initialisedWithoutKeysMessage(namespace: string, pods: string[], pod: string): string {
  const release = releaseOfPod(pods[0] ?? pod);
  const pvcs = pods.map((p) => `data-${p}`).join(" ");
  return [
    `Vault in namespace "${namespace}" is already initialised (pod ${pod} says so), but this stack holds no unseal keys or root token for it.`,
    `This happens when a run died between Vault's init and its answer, or when the Pulumi state was lost. The program will not initialise it again.`,
    `If you still have the unseal keys: unseal by hand (kubectl -n ${namespace} exec -ti ${pod} -- vault operator unseal, once per key, on every pod),`,
    `then put the keys and root token into this resource's outputs (pulumi stack export > stack.json; set unsealKeys and rootToken of the VaultInit resource; pulumi stack import --file stack.json).`,
    `If you do not have them, Vault's data cannot be opened: start again with an empty Vault:`,
    `  helm uninstall ${release} -n ${namespace}`,
    `  kubectl -n ${namespace} delete pvc ${pvcs}`,
    `  pulumi refresh   # drops the uninstalled release from state`,
    `  pulumi up        # installs the chart again and initialises the new Vault`,
  ].join("\n");
}

/** Keys in state, but Vault says it was never initialised: its storage was wiped behind our back. */
export function keysWithoutVaultMessage(namespace: string, pods: string[]): string {
  return [
    `Vault in namespace "${namespace}" says it is not initialised, but this stack holds unseal keys for it: its storage (PVCs ${pods.map((p) => `data-${p}`).join(", ")}) was replaced or wiped.`,
    `The old keys cannot open a new Vault. To initialise a new, empty Vault and keep its new keys, replace this resource:`,
    `  pulumi up --replace <URN of the VaultInit resource>   # see: pulumi stack --show-urns`,
  ].join("\n");
}

/** The error text of a Vault answer ({"errors": [...]}), with every known secret cut out. */
export function vaultErrorText(json: unknown, fallback: string, secrets: readonly string[]): string {
  const errors = json !== null && typeof json === "object" && Array.isArray((json as { errors?: unknown }).errors) ? ((json as { errors: unknown[] }).errors.map(String).join("; ") || fallback) : fallback;
  return redact(errors, secrets);
}

/** `text` with every occurrence of each secret replaced by "[redacted]". */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) if (secret.length >= 4) out = out.split(secret).join("[redacted]");
  return out;
}

/** Names the operator sets (comma-separated) once the removed pods' Raft peers are gone. */
export const PEERS_REMOVED_ENV = "CTO_VAULT_RAFT_PEERS_REMOVED";

/**
 * Why a shrink of the pod list is refused, or undefined when it is not a shrink or the operator
 * confirmed (`acknowledged`, from PEERS_REMOVED_ENV) that exactly the removed pods' peers are gone.
 * Scaling the StatefulSet down leaves the removed pods as Raft voters: pod 0 alone is 1 of 3, has
 * no quorum and stops serving. After the scale-down, remove-peer itself needs that quorum, so it
 * must happen before, by hand.
 */
export function shrinkRefusal(namespace: string, oldPods: readonly string[], newPods: readonly string[], acknowledged: string | undefined): string | undefined {
  const removed = oldPods.filter((pod) => !newPods.includes(pod));
  if (removed.length === 0) return undefined;
  const confirmed = new Set((acknowledged ?? "").split(",").map((p) => p.trim()).filter(Boolean));
  if (removed.every((pod) => confirmed.has(pod))) return undefined;
  const leader = newPods[0] ?? oldPods[0] ?? "vault-0";
  // The release is named after the flavor; OpenBao's CLI is `bao` and reads BAO_TOKEN.
  const [cli, tokenVar] = releaseOfPod(leader) === "openbao" ? ["bao", "BAO_TOKEN"] : ["vault", "VAULT_TOKEN"];
  return [
    `VaultInit ${vaultInitId(namespace, [...oldPods])} would go from ${oldPods.length} to ${newPods.length} pods, but ${removed.join(", ")} would stay Raft voters and Vault would lose its quorum.`,
    `Keep the old pod count in the config for now, and before scaling down remove each of them from Raft, with the root token (the VaultInit's rootToken output):`,
    ...removed.map((pod) => `  kubectl -n ${namespace} exec ${leader} -- env ${tokenVar}=<root token> ${cli} operator raft remove-peer ${pod}`),
    `then change the config and run: ${PEERS_REMOVED_ENV}=${removed.join(",")} pulumi up`,
  ].join("\n");
}
