// What a change to a Server's inputs means, decided without any API call: refused (at preview,
// with a message naming the node and the way out), a replacement, an in-place update, a reinstall,
// or nothing. A Talos control plane is the costliest thing to lose, so every path that would
// replace or wipe one needs the config to name it.
import { IPXE, type Billing, type ServerInputs, type ServerOutputs } from "./serverTypes";

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
  return change;
}
