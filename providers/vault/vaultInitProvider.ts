// The VaultInit dynamic provider: initialises Vault (or OpenBao) on pod 0 and joins + unseals every
// pod, all through the Kubernetes API server's per-pod proxy, so Vault needs no public endpoint and
// its unseal keys and root token exist only as secret outputs in Pulumi state.
// This object is serialized into state: dependencies are local modules or require()d inside.
import type * as pulumi from "@pulumi/pulumi";
import { isConnectionFailure } from "../kubernetes/apiServerProxy";
import type { KubeAccess } from "../kubernetes/kubeAccess";
import { initialize, joinRaft, probePod, unsealPod, waitForPod, type VaultTarget } from "./vaultApi";
import {
  decideInit,
  defaultLeaderAddress,
  initialisedWithoutKeysMessage,
  keysWithoutVaultMessage,
  PEERS_REMOVED_ENV,
  planUnseal,
  redact,
  sealedPodsOf,
  shrinkRefusal,
  vaultInitId,
  type PodStatus,
} from "./vaultDecisions";

export interface VaultInitInputs {
  /** Bumped with the provider code, so the engine stores the new code in state. */
  providerVersion: string;
  cluster: KubeAccess;
  namespace: string;
  /** StatefulSet pods, pod 0 first: pod 0 is initialised, the others join it. */
  pods: string[];
  port: number;
  keyShares: number;
  keyThreshold: number;
  /** In-cluster address of pod 0 for Raft joins: http://<pod>.<release>-internal:8200. */
  leaderAddress: string;
  waitTimeoutSeconds: number;
}

export interface VaultInitOutputs extends VaultInitInputs {
  /** Base64 unseal keys (as `vault operator init` prints them). Secret. */
  unsealKeys: string[];
  rootToken: string;
  /** Pods sealed (or not answering) when last looked at: a restarted pod comes back sealed. */
  sealedPods: string[];
  initialized: boolean;
}

const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
const known = (value: unknown): boolean => value !== undefined && value !== UNKNOWN;

function targetOf(inputs: VaultInitInputs): VaultTarget {
  return { access: inputs.cluster, namespace: inputs.namespace, port: inputs.port };
}

function deadlineOf(inputs: VaultInitInputs): number {
  return Date.now() + inputs.waitTimeoutSeconds * 1000;
}

/** "Created, but failed to initialise": the engine keeps the id and these outputs (the keys!) in state. */
function initFailure(id: string, outs: VaultInitOutputs, reason: string): Error {
  const error = new Error(reason) as Error & { id: string; properties: object; reasons: string[] };
  error.id = id;
  error.properties = encodable(outs);
  error.reasons = [reason];
  return error;
}

/** The host cannot encode `undefined` properties ("Unexpected struct type"): drop them. */
function encodable<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** One probe of every pod, without waiting. */
async function probeAll(inputs: VaultInitInputs, deadline: number): Promise<PodStatus[]> {
  const target = targetOf(inputs);
  return Promise.all(inputs.pods.map((pod) => probePod(target, pod, deadline)));
}

/**
 * Joins and unseals every pod, pod 0 first, waiting for pods that are not running yet. Returns the
 * pods left sealed (none on success); throws only for errors a wait cannot cure.
 */
async function converge(inputs: VaultInitInputs, keys: readonly string[], deadline: number): Promise<string[]> {
  const target = targetOf(inputs);
  const leader = inputs.pods[0]!;
  for (const pod of inputs.pods) {
    const status = await waitForPod(target, pod, deadline, inputs.waitTimeoutSeconds);
    const [step] = planUnseal([status], leader).steps;
    if (!step) continue;
    if (step.join) {
      try {
        await joinRaft(target, pod, inputs.leaderAddress, deadline);
      } catch (error) {
        // retry_join in the chart's config may have joined it meanwhile: fine if it now says initialised.
        const again = await probePod(target, pod, deadline);
        if (!(again.reachable && again.initialized === true)) throw new Error(redact(messageOf(error), keys));
      }
    }
    await unsealPod(target, pod, keys, inputs.keyThreshold, step.reset, deadline, inputs.waitTimeoutSeconds);
  }
  return sealedPodsOf(await probeAll(inputs, deadline));
}

/** The keys never reach an error message: every text is passed through redact. */
function safe(error: unknown, secrets: readonly string[]): Error {
  return new Error(redact(messageOf(error), secrets));
}

export const vaultInitProvider: pulumi.dynamic.ResourceProvider<VaultInitInputs, VaultInitOutputs> = {
  check(olds: VaultInitInputs, news: VaultInitInputs): Promise<pulumi.dynamic.CheckResult<VaultInitInputs>> {
    const failures: pulumi.dynamic.CheckFailure[] = [];
    const inputs = { ...news };
    if (inputs.port === undefined) inputs.port = 8200;
    if (inputs.keyShares === undefined) inputs.keyShares = 5;
    if (inputs.keyThreshold === undefined) inputs.keyThreshold = 3;
    if (inputs.waitTimeoutSeconds === undefined) inputs.waitTimeoutSeconds = 600;
    if (known(inputs.pods)) {
      if (!Array.isArray(inputs.pods) || inputs.pods.length === 0 || inputs.pods.some((p) => typeof p !== "string" || !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(p))) {
        failures.push({ property: "pods", reason: "expected a non-empty list of pod names, pod 0 first (e.g. [\"vault-0\", \"vault-1\", \"vault-2\"])" });
      } else if (inputs.leaderAddress === undefined && known(inputs.port)) {
        inputs.leaderAddress = defaultLeaderAddress(inputs.pods, inputs.port);
      }
    }
    // Olds are the inputs in state: refuse at preview a shrink that would break Raft's quorum.
    if (Array.isArray(olds?.pods) && Array.isArray(inputs.pods) && failures.length === 0) {
      const refusal = shrinkRefusal(known(inputs.namespace) ? inputs.namespace : olds.namespace, olds.pods, inputs.pods, process.env[PEERS_REMOVED_ENV]);
      if (refusal) failures.push({ property: "pods", reason: refusal });
    }
    if (known(inputs.keyShares) && known(inputs.keyThreshold)) {
      const shares = inputs.keyShares;
      const threshold = inputs.keyThreshold;
      if (!Number.isInteger(shares) || shares < 1 || shares > 255) failures.push({ property: "keyShares", reason: "Vault splits its key into 1 to 255 shares" });
      if (!Number.isInteger(threshold) || threshold < 1 || threshold > shares) failures.push({ property: "keyThreshold", reason: `expected 1 to keyShares (${shares}) shares to unseal` });
      if (shares > 1 && threshold === 1) failures.push({ property: "keyThreshold", reason: "a threshold of 1 with several shares makes each share a full key: use keyShares 1 or a threshold of at least 2" });
    }
    if (known(inputs.namespace) && (typeof inputs.namespace !== "string" || inputs.namespace === "")) failures.push({ property: "namespace", reason: "Vault's namespace is required" });
    if (known(inputs.waitTimeoutSeconds) && !(inputs.waitTimeoutSeconds > 0)) failures.push({ property: "waitTimeoutSeconds", reason: "expected a positive number of seconds" });
    return Promise.resolve({ inputs, failures });
  },

  diff(_id: string, olds: VaultInitOutputs, news: VaultInitInputs): Promise<pulumi.dynamic.DiffResult> {
    // A namespace not known yet (preview of a Namespace update) is no reason to replace the key holder.
    const replaces = known(news.namespace) && olds.namespace !== news.namespace ? ["namespace"] : [];
    // keyShares/keyThreshold only matter at init: changing them later needs `vault operator rekey`.
    const changed = (["providerVersion", "port", "leaderAddress", "waitTimeoutSeconds"] as const).some((key) => olds[key] !== news[key]);
    const changes =
      olds.namespace !== news.namespace ||
      changed ||
      JSON.stringify(olds.pods) !== JSON.stringify(news.pods) ||
      JSON.stringify(olds.cluster) !== JSON.stringify(news.cluster) ||
      // Sealed pods seen by the last refresh: the next `up` unseals them (an update).
      (olds.sealedPods?.length ?? 0) > 0 ||
      olds.initialized !== true;
    // Create before delete: the old keys stay in state until the new Vault is initialised (delete
    // is a no-op, and the ids differ by namespace, so both can exist for a moment).
    return Promise.resolve({ changes, replaces, deleteBeforeReplace: false });
  },

  async create(inputs: VaultInitInputs): Promise<pulumi.dynamic.CreateResult<VaultInitOutputs>> {
    const deadline = deadlineOf(inputs);
    const target = targetOf(inputs);
    const id = vaultInitId(inputs.namespace, inputs.pods);
    // Pod 0 must answer; the others are looked at once, so an initialised follower is noticed too.
    const first = await waitForPod(target, inputs.pods[0]!, deadline, inputs.waitTimeoutSeconds);
    const others = await Promise.all(inputs.pods.slice(1).map((pod) => probePod(target, pod, deadline)));
    const decision = decideInit([first, ...others], false);
    if (decision.action === "initialisedWithoutKeys") throw new Error(initialisedWithoutKeysMessage(inputs.namespace, inputs.pods, decision.pod));
    if (decision.action !== "initialize") throw new Error(`Vault pod ${inputs.namespace}/${first.pod} is in no state to initialise; run \`pulumi up\` again`);

    const answer = await initialize(target, decision.pod, inputs.keyShares, inputs.keyThreshold);
    const outs: VaultInitOutputs = { ...inputs, unsealKeys: answer.keys, rootToken: answer.rootToken, sealedPods: [...inputs.pods], initialized: true };
    // From here on the keys exist only in memory: every failure must hand them to the engine.
    try {
      outs.sealedPods = await converge(inputs, answer.keys, deadline);
    } catch (error) {
      const secrets = [...answer.keys, answer.rootToken];
      throw initFailure(id, outs, `Vault was initialised and its keys are saved in state, but unsealing failed: ${redact(messageOf(error), secrets)}`);
    }
    if (outs.sealedPods.length > 0) throw initFailure(id, outs, `Vault was initialised and its keys are saved in state, but ${outs.sealedPods.join(", ")} stayed sealed; run \`pulumi up\` again`);
    return { id, outs: encodable(outs) };
  },

  async read(id: string, props?: VaultInitOutputs): Promise<pulumi.dynamic.ReadResult<VaultInitOutputs>> {
    if (!props) throw new Error(`importing VaultInit ${id} is not supported: dynamic resources cannot be imported`);
    const secrets = [...(props.unsealKeys ?? []), props.rootToken ?? ""];
    let statuses: PodStatus[];
    try {
      statuses = await probeAll(props, Date.now() + 15_000);
    } catch (error) {
      // A cluster that is down or torn down must not fail the refresh of the whole stack: keep the
      // state and call every pod sealed (unknown), so the next `up` looks again.
      if (!isConnectionFailure(error)) throw safe(error, secrets);
      statuses = (props.pods ?? []).map((pod) => ({ pod, reachable: false }));
    }
    return { id, props: encodable({ ...props, sealedPods: sealedPodsOf(statuses), initialized: props.initialized && statuses.some((s) => s.initialized !== false) }) };
  },

  async update(id: string, olds: VaultInitOutputs, news: VaultInitInputs): Promise<pulumi.dynamic.UpdateResult<VaultInitOutputs>> {
    const keys = olds.unsealKeys ?? [];
    const secrets = [...keys, olds.rootToken ?? ""];
    const merged: VaultInitInputs = { ...news, keyShares: olds.keyShares, keyThreshold: olds.keyThreshold };
    try {
      const deadline = deadlineOf(merged);
      const first = await waitForPod(targetOf(merged), merged.pods[0]!, deadline, merged.waitTimeoutSeconds);
      const others = await probeAll({ ...merged, pods: merged.pods.slice(1) }, deadline);
      const decision = decideInit([first, ...others], keys.length > 0);
      if (decision.action === "keysWithoutVault") throw new Error(keysWithoutVaultMessage(merged.namespace, merged.pods));
      if (decision.action === "initialisedWithoutKeys") throw new Error(initialisedWithoutKeysMessage(merged.namespace, merged.pods, decision.pod));
      if (keys.length === 0) throw new Error(`VaultInit ${id} has no unseal keys in state; replace it (pulumi up --replace <its URN>) to initialise Vault`);
      const sealedPods = await converge(merged, keys, deadline);
      if (sealedPods.length > 0) throw new Error(`Vault pods ${sealedPods.join(", ")} in "${merged.namespace}" stayed sealed; run \`pulumi up\` again`);
      return { outs: encodable({ ...merged, unsealKeys: keys, rootToken: olds.rootToken, sealedPods, initialized: true }) };
    } catch (error) {
      throw safe(error, secrets);
    }
  },

  delete(): Promise<void> {
    // Nothing to undo in Vault: there is no "uninitialise". Its data lives in the release's PVCs,
    // which go with the release and the cluster; the keys go with this state entry.
    return Promise.resolve();
  },
};
