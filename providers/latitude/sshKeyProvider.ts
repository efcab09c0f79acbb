// The Latitude SSH key dynamic provider. Key names are not unique in Latitude, so a create adopts
// an existing key only when it is the same key (name and fingerprint, in the listed scope:
// sshKeyMatch.ts) and it is this stack's (ownership.ts); the public key cannot be patched, so
// changing it replaces the key (delete-first: sshKey.ts).
// This object is serialized into state: dependencies are local modules or require()d inside.
import type * as pulumi from "@pulumi/pulumi";
import type { LatitudeClient } from "./client";
import { isLatitudeApiError, isUnknownOutcome } from "./errors";
import { rememberDeleted, stillExisting } from "./deletions";
import { adoptable, type Owner } from "./ownership";
import { errorText, providerClient, rememberProviderConfig, withEncodableOutputs } from "./providerRuntime";
import type { SshKey } from "./schemas";
import { UNKNOWN } from "./serverDecisions";
import { isInScope, isSameKey, keyText, md5Fingerprint } from "./sshKeyMatch";

export interface SshKeyInputs {
  /** Bumped with the provider code, so the engine stores the new code in state. */
  providerVersion: string;
  name: string;
  /** OpenSSH `authorized_keys` line; create-only in Latitude. */
  publicKey: string;
  /** Bind the key to this project; absent: a team-wide key. */
  projectId?: string;
  /** Latitude tag ids; the set replaces whatever the key carried. Absent: none. */
  tagIds?: string[];
  /** The stack's identity (stackIdentityProvider.ts): only a key carrying it is ever adopted. */
  stackIdentity: string;
}

export interface SshKeyOutputs extends SshKeyInputs {
  sshKeyId: string;
  /** Colon-separated MD5, as Latitude reports it. */
  fingerprint: string;
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);
/** Order-insensitive; absent means none; a list not known yet (preview) differs. */
function sameIds(a: unknown, b: unknown): boolean {
  const x: unknown = a ?? [];
  const y: unknown = b ?? [];
  return Array.isArray(x) && Array.isArray(y) ? same([...(x as string[])].sort(), [...(y as string[])].sort()) : same(x, y);
}
const tagIdsOf = (key: SshKey): string[] => (key.tags ?? []).map((tag) => tag.id);

/** How many times a create whose answer was lost looks for the key it made, 1 s, then 2 s apart. */
const LOOKS_AFTER_LOST_CREATE = 3;

interface KeyCandidate {
  id: string;
  label: string;
  tags: SshKey["tags"];
  key: SshKey;
}

/**
 * Existing keys that are the key the inputs describe: same name and fingerprint, in the same
 * scope (this project's keys, or the team's unbound ones), and not deleted a moment ago.
 */
async function sameKeys(client: LatitudeClient, inputs: SshKeyInputs): Promise<KeyCandidate[]> {
  const listed = await client.listSshKeys(inputs.projectId ? { project: inputs.projectId } : { scope: "team" });
  const matching = listed.filter((key) => key.name === inputs.name && isInScope(key, inputs.projectId) && isSameKey(key, inputs.publicKey));
  const existing = await stillExisting("sshKey", matching, (id) => client.getSshKey(id));
  const scope = (key: SshKey): string => key.project?.slug ?? inputs.projectId ?? "none: team-wide";
  return existing.map((key) => ({ id: key.id, tags: key.tags, key, label: `SSH key ${key.id} (name ${key.name}, project ${scope(key)})` }));
}

function ownerOf(inputs: SshKeyInputs): Owner {
  return { subject: `SSH key ${inputs.name}`, identity: inputs.stackIdentity, projectId: inputs.projectId, tagIds: inputs.tagIds ?? [], rename: "rename the key in cto-metal:sshKeys" };
}

/**
 * This stack's key among the same keys, undefined when there is none, or an error naming them.
 * A key of the same material under another name is not a candidate at all: it is someone's key
 * (often the user's own, registered in the dashboard), and taking it over would rename or retag
 * it and let `pulumi destroy` delete it. The stack registers its own key beside it (Latitude
 * allows duplicate keys, latitude-api.md §13). The same name and material without this stack's
 * tag, outside a project the stack created, is refused by name (ownership.ts): it may be anyone's.
 */
async function findOurs(client: LatitudeClient, inputs: SshKeyInputs): Promise<SshKey | undefined> {
  return (await adoptable(client, await sameKeys(client, inputs), ownerOf(inputs)))?.key;
}

/**
 * After a POST whose answer was lost. Nothing matched just before it (findOurs adopts or refuses
 * any match, and only an empty search reaches the POST), and a POST carries no tags: so a single
 * untagged match now is the key that POST made, adopted even in a project this stack did not
 * create. More than one match falls back to the ownership rules.
 */
async function findMade(client: LatitudeClient, inputs: SshKeyInputs): Promise<SshKey | undefined> {
  for (let look = 0; look < LOOKS_AFTER_LOST_CREATE; look++) {
    if (look > 0) await new Promise((resolve) => setTimeout(resolve, 1000 * look));
    const candidates = await sameKeys(client, inputs);
    const only = candidates.length === 1 ? candidates[0] : undefined;
    if (only && (only.tags ?? []).length === 0) return only.key;
    const ours = await adoptable(client, candidates, ownerOf(inputs));
    if (ours) return ours.key;
  }
  return undefined;
}

async function adoptOrCreate(client: LatitudeClient, inputs: SshKeyInputs): Promise<SshKey> {
  const existing = await findOurs(client, inputs);
  if (existing) return existing;
  try {
    return await client.createSshKey({ name: inputs.name, public_key: inputs.publicKey.trim(), ...(inputs.projectId ? { project: inputs.projectId } : {}) });
  } catch (error) {
    if (!(isUnknownOutcome(error))) throw error;
    // The POST may have gone through: look before deciding, never POST twice.
    const created = await findMade(client, inputs);
    if (created) return created;
    throw new Error(`${errorText(error)}; no SSH key named ${inputs.name} appeared afterwards, so run the command again`);
  }
}

function outputsOf(inputs: SshKeyInputs, key: SshKey): SshKeyOutputs {
  return { ...inputs, tagIds: tagIdsOf(key), sshKeyId: key.id, name: key.name, fingerprint: key.fingerprint ?? md5Fingerprint(inputs.publicKey) ?? "" };
}

/** What the change means: replaced (public key, scope) or patched (name, tags). */
export function diffSshKey(olds: SshKeyOutputs, news: SshKeyInputs): { replaces: string[]; patch: Array<"name" | "tagIds">; changes: boolean } {
  const replaces: string[] = [];
  if (news.publicKey === UNKNOWN || keyText(olds.publicKey) !== keyText(news.publicKey)) replaces.push("publicKey");
  if ((olds.projectId ?? "") !== (news.projectId ?? "")) replaces.push("projectId");
  const patch: Array<"name" | "tagIds"> = [];
  if (olds.name !== news.name) patch.push("name");
  if (!sameIds(olds.tagIds, news.tagIds)) patch.push("tagIds");
  return { replaces, patch, changes: replaces.length > 0 || patch.length > 0 || olds.providerVersion !== news.providerVersion };
}

export const sshKeyProvider: pulumi.dynamic.ResourceProvider<SshKeyInputs, SshKeyOutputs> = withEncodableOutputs({
  configure(request: pulumi.dynamic.ConfigureRequest): Promise<void> {
    rememberProviderConfig(request.config);
    return Promise.resolve();
  },

  check(_olds: SshKeyInputs, news: SshKeyInputs): Promise<pulumi.dynamic.CheckResult<SshKeyInputs>> {
    const failures: pulumi.dynamic.CheckFailure[] = [];
    if (news.name !== UNKNOWN && (typeof news.name !== "string" || news.name.trim() === "")) failures.push({ property: "name", reason: "a Latitude SSH key needs a name" });
    if (news.publicKey !== UNKNOWN && (typeof news.publicKey !== "string" || keyText(news.publicKey).split(" ").length < 2)) {
      failures.push({ property: "publicKey", reason: `SSH key ${news.name}: expected an OpenSSH public key line such as "ssh-ed25519 AAAA... comment"` });
    }
    return Promise.resolve({ inputs: { ...news, tagIds: news.tagIds ?? [] }, failures });
  },

  diff(_id: string, olds: SshKeyOutputs, news: SshKeyInputs): Promise<pulumi.dynamic.DiffResult> {
    const change = diffSshKey(olds, news);
    // Delete-first, as the resource always is (sshKey.ts): a create-first would adopt the old key.
    return Promise.resolve({ changes: change.changes, replaces: change.replaces, deleteBeforeReplace: change.replaces.length > 0 });
  },

  async create(inputs: SshKeyInputs): Promise<pulumi.dynamic.CreateResult<SshKeyOutputs>> {
    const client = providerClient();
    let key = await adoptOrCreate(client, inputs);
    if (!sameIds(tagIdsOf(key), inputs.tagIds)) key = await client.updateSshKey(key.id, { tags: [...(inputs.tagIds ?? [])] });
    return { id: key.id, outs: outputsOf(inputs, key) };
  },

  async read(id: string, props?: SshKeyOutputs): Promise<pulumi.dynamic.ReadResult<SshKeyOutputs>> {
    if (!props) throw new Error(`importing Latitude SSH key ${id} is not supported: dynamic resources cannot be imported`);
    const key = await providerClient().getSshKey(id);
    // Deleted behind our back: an empty id tells `pulumi refresh` to drop it from state.
    if (!key) return { id: "", props: {} as SshKeyOutputs };
    return { id, props: { ...props, name: key.name, fingerprint: key.fingerprint ?? props.fingerprint, tagIds: tagIdsOf(key) } };
  },

  async update(id: string, olds: SshKeyOutputs, news: SshKeyInputs): Promise<pulumi.dynamic.UpdateResult<SshKeyOutputs>> {
    const change = diffSshKey(olds, news);
    const patch: Parameters<LatitudeClient["updateSshKey"]>[1] = {};
    if (change.patch.includes("name")) patch.name = news.name;
    if (change.patch.includes("tagIds")) patch.tags = [...(news.tagIds ?? [])];
    if (Object.keys(patch).length === 0) return { outs: { ...olds, ...news, sshKeyId: id, fingerprint: olds.fingerprint } };
    try {
      return { outs: outputsOf(news, await providerClient().updateSshKey(id, patch)) };
    } catch (error) {
      if (isLatitudeApiError(error, 404)) {
        throw new Error(`Latitude SSH key ${id} ("${olds.name}") no longer exists; run \`pulumi refresh\` to drop it from state, then \`pulumi up\` creates it again`);
      }
      throw error;
    }
  },

  async delete(id: string): Promise<void> {
    // The client accepts the 200 {"meta":{}} this route answers; 404 means already gone.
    await providerClient().deleteSshKey(id);
    // A `pulumi up --replace` creates the same key next: it must not find this one still listed.
    rememberDeleted("sshKey", id);
  },
});
