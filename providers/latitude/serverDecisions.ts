// What a change to a Server's inputs means, decided without any API call: refused (at preview,
// with a message naming the node and the way out), a replacement, an in-place update, a reinstall,
// or nothing. A Talos control plane is the costliest thing to lose, so every path that would
// replace or wipe one needs the config to name it, whatever the cause (a failed deploy included).
import { IPXE, type Billing, type ServerInputs, type ServerOutputs, type StoredServerInputs } from "./serverTypes";

/** The placeholder Pulumi passes at preview for values not known yet. */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

const BILLING_RANK: Record<Billing, number> = { hourly: 0, monthly: 1, yearly: 2 };

export interface ServerChange {
  replaces: string[];
  /** Delete the old server first (a failed deploy: same hostname, nothing to keep). */
  deleteBeforeReplace: boolean;
  /** Fields changed in place through PATCH. */
  patch: Array<"hostname" | "billing" | "tagIds" | "projectId">;
  /** OS or SSH keys of an OS server changed: the server is wiped and reinstalled. */
  reinstall: boolean;
  /** Anything at all differs (including bookkeeping inputs stored without an API call). */
  changes: boolean;
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);
/** Order-insensitive; a value not known yet (preview) is compared as it is. */
const sameSet = (a: unknown, b: unknown): boolean =>
  Array.isArray(a) && Array.isArray(b) ? same([...(a as string[])].sort(), [...(b as string[])].sort()) : same(a ?? [], b ?? []);
const isIpxe = (inputs: Pick<ServerInputs, "operatingSystem">): boolean => inputs.operatingSystem === IPXE;

/** For an OS server: does this change wipe it? For iPXE servers the URL and keys are create-only. */
function needsReinstall(olds: ServerInputs, news: ServerInputs): boolean {
  if (olds.operatingSystem !== news.operatingSystem) return true;
  if (isIpxe(news)) return false;
  return !sameSet(olds.sshKeyIds, news.sshKeyIds);
}

/**
 * Changes that must be refused at preview. `olds` are the stored inputs; each message names the
 * node, what changed, and the config that allows it.
 */
export function refusedChanges(olds: ServerInputs, news: ServerInputs): string[] {
  const node = `node ${news.nodeName} (${news.hostname})`;
  const problems: string[] = [];
  if (olds.role !== news.role) {
    problems.push(`${node}: its role is fixed once created (${olds.role} → ${news.role}); give it "role": "${olds.role}" in cto-metal:nodes, or add a new node instead`);
  }
  if (news.billing !== (UNKNOWN as Billing) && BILLING_RANK[news.billing] < BILLING_RANK[olds.billing]) {
    problems.push(`${node}: Latitude billing can only be upgraded (hourly → monthly → yearly), not changed from ${olds.billing} to ${news.billing}`);
  }
  const replaced = ["plan", "site"].filter((key) => !same(olds[key as "plan"], news[key as "plan"]));
  if (replaced.length > 0 && news.role === "controlplane" && !news.allowReplace) {
    problems.push(
      `${node}: changing ${replaced.join(" and ")} replaces this control plane; name it explicitly with "allowReplace": true in its cto-metal:nodes entry to proceed`,
    );
  }
  if (needsReinstall(olds, news)) {
    const what = olds.operatingSystem !== news.operatingSystem ? `operating system ${olds.operatingSystem} → ${news.operatingSystem}` : "SSH keys";
    if (!news.allowReinstall) {
      problems.push(`${node}: changing the ${what} reinstalls the server and wipes its disks; set cto-metal:allowReinstall to true to proceed`);
    } else if (news.role === "controlplane" && !news.allowReplace) {
      problems.push(`${node}: changing the ${what} reinstalls this control plane; name it explicitly with "allowReplace": true in its cto-metal:nodes entry to proceed`);
    }
  }
  return problems;
}

/** Classifies a change from the stored outputs to the new (checked) inputs. */
export function diffServer(olds: ServerOutputs, news: ServerInputs): ServerChange {
  const change: ServerChange = { replaces: [], deleteBeforeReplace: false, patch: [], reinstall: false, changes: false };
  if (olds.deployFailure) {
    // A control plane is never replaced without its node's permission: the update looks at the
    // server again, continues if it is healthy now, and refuses otherwise (update in serverProvider).
    if (keepsFailedControlPlane(news, olds.deployFailure)) return { ...change, changes: true };
    // A server whose deploy failed cannot be repaired in place.
    return { ...change, replaces: ["deployFailure"], deleteBeforeReplace: true, changes: true };
  }
  for (const key of ["plan", "site"] as const) if (!same(olds[key], news[key])) change.replaces.push(key);
  if (!same(olds.hostname, news.hostname)) change.patch.push("hostname");
  if (!same(olds.billing, news.billing)) change.patch.push("billing");
  if (!sameSet(olds.tagIds, news.tagIds)) change.patch.push("tagIds");
  if (!same(olds.projectId, news.projectId)) change.patch.push("projectId");
  change.reinstall = needsReinstall(olds, news);
  const inputKeys = Object.keys(news) as Array<keyof ServerInputs>;
  change.changes = inputKeys.some((key) => (key === "sshKeyIds" || key === "tagIds" ? !sameSet(olds[key], news[key]) : !same(olds[key], news[key])));
  // iPXE servers ignore URL and SSH key edits: they never reach Latitude after the first boot.
  if (isIpxe(news) && isIpxe(olds) && !change.reinstall) {
    const onlyCreateOnly = inputKeys.every((key) => key === "ipxeUrl" || key === "sshKeyIds" || (key === "tagIds" ? sameSet(olds[key], news[key]) : same(olds[key], news[key])));
    if (onlyCreateOnly) change.changes = false;
  }
  // The last create or update ended before the server was ready: the update waits for it, even
  // when a refresh has cleared the engine's record of that failure.
  if (olds.ready === false) change.changes = true;
  return change;
}

/** A failed control plane that its config does not allow to replace: kept, never deleted. */
export function keepsFailedControlPlane(news: Pick<ServerInputs, "role" | "allowReplace">, deployFailure: string | null | undefined): deployFailure is string {
  return Boolean(deployFailure) && news.role === "controlplane" && !news.allowReplace;
}

/** Why a failed control plane is not replaced, and the two ways on. `node` names it. */
export function failedControlPlaneRefusal(node: string, deployFailure: string): string {
  return `${node}: its deploy failed (${deployFailure}), and replacing this control plane deletes it first and buys a new one; name it explicitly with "allowReplace": true in its cto-metal:nodes entry to replace it, or, once Latitude reports the server on again, run \`pulumi refresh\` to clear the failure`;
}

/**
 * Refusals that need what a refresh found. check() sees only the stored inputs, never the outputs,
 * so read() copies a failure it finds into them (inputsAfterRead): the preview then refuses to
 * replace a failed control plane, naming the node, before any plan is made.
 */
export function refusedAfterRefresh(olds: StoredServerInputs, news: ServerInputs): string[] {
  return keepsFailedControlPlane(news, olds.deployFailure) ? [failedControlPlaneRefusal(`node ${news.nodeName} (${news.hostname})`, olds.deployFailure)] : [];
}

const OUTPUT_ONLY = { serverId: true, primaryIpv4: true, primaryIpv6: true, status: true, publicMac: true, privateMac: true, deployFailure: true, ready: true } satisfies Record<Exclude<keyof ServerOutputs, keyof ServerInputs>, true>;

/**
 * The inputs a refresh stores when the deploy failure changed: the stored outputs without what only
 * Latitude reports (outputs start as a copy of the inputs), plus the failure, if any.
 */
export function inputsAfterRead(stored: ServerOutputs, deployFailure: string | null): StoredServerInputs {
  const inputs: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(stored)) if (!Object.hasOwn(OUTPUT_ONLY, key) && key !== "__provider") inputs[key] = value;
  return { ...(inputs as unknown as ServerInputs), ...(deployFailure ? { deployFailure } : {}) };
}

/** What the next `up` does with a server whose create, reinstall or update just failed. */
export function nextUpAfterFailure(inputs: Pick<ServerInputs, "role" | "allowReplace">, failedDeploy: boolean): string {
  if (!failedDeploy) return "the next `pulumi up` continues with it";
  if (inputs.role === "controlplane" && !inputs.allowReplace) {
    return 'the next `pulumi up` replaces it only once its node has "allowReplace": true (and continues with it if Latitude reports it on again)';
  }
  return "the next `pulumi up` replaces it";
}

/**
 * The deploy failure a refresh records: a `failed_*` status sets it; a healthy server (status `on`,
 * or an iPXE server whose Talos API answers) clears it; anything else keeps what was recorded.
 */
export function deployFailureAfterRead(recorded: string | null | undefined, status: string, healthy: boolean): string | null {
  if (status.startsWith("failed_")) return `Latitude reports status ${status}`;
  return healthy ? null : (recorded ?? null);
}

/** The tag ids to record: as recorded while they are the same set as seen, else what Latitude shows. */
export function tagsAsSeen(recorded: readonly string[], seen: readonly string[] | undefined): string[] {
  return seen === undefined || sameSet(recorded, seen) ? [...recorded] : [...seen];
}

/**
 * The hostname to keep for a server made before hostnames carried the Pulumi project
 * (`<prefix>-<stack>-<node>`): when the new one only inserts the project, the server keeps its
 * name. Renaming it would rename the Talos node and with it the Kubernetes node, whose local
 * volumes (Vault's among them) are bound to the old name. Otherwise the new hostname.
 */
export function keptHostname(olds: Pick<ServerInputs, "hostname"> | undefined, news: Pick<ServerInputs, "hostname" | "stackTag">): string {
  if (!olds?.hostname || olds.hostname === news.hostname) return news.hostname;
  const marker = `-${news.stackTag.toLowerCase()}-`;
  const at = news.hostname.indexOf(marker);
  if (at < 0) return news.hostname;
  const [prefix, node] = [news.hostname.slice(0, at), news.hostname.slice(at + marker.length)];
  const parts = news.stackTag.toLowerCase().split("-");
  for (let i = 1; i < parts.length; i++) {
    if (olds.hostname === `${prefix}-${parts.slice(i).join("-")}-${node}`) return olds.hostname;
  }
  return news.hostname;
}
