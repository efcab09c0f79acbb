// The Latitude SSH key dynamic provider. Key names are not unique in Latitude, so a retried
// create adopts a key only when scope, name and key material all match (the leftover of an
// interrupted create) and it is this stack's (ownership.ts); the public key cannot be patched,
// so changing it replaces the key (delete-first: sshKey.ts).
// This object is serialized into state: dependencies are local modules or require()d inside.
import type * as pulumi from "@pulumi/pulumi";
import type { LatitudeClient } from "./client";
import { isLatitudeApiError, isUnknownOutcome } from "./errors";
import { adoptable } from "./ownership";
import { errorText, providerClient, rememberProviderConfig, withEncodableOutputs } from "./providerRuntime";
import type { SshKey } from "./schemas";
import { UNKNOWN } from "./serverDecisions";

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
/** Whitespace-insensitive: a trailing newline from a key file is no change. */
const keyText = (publicKey: string): string => publicKey.trim().split(/\s+/).join(" ");
/** Type and blob: the key itself, whatever its comment says. */
const keyMaterial = (publicKey: string): string => keyText(publicKey).split(" ").slice(0, 2).join(" ");
const tagIdsOf = (key: SshKey): string[] => (key.tags ?? []).map((tag) => tag.id);

/** Keys in the same scope as the inputs: this project's, or the team's unbound keys. */
async function keysInScope(client: LatitudeClient, projectId: string | undefined): Promise<SshKey[]> {
  if (projectId) return (await client.listSshKeys({ project: projectId })).filter((key) => key.project?.id === projectId || key.project?.slug === projectId);
  return (await client.listSshKeys({ scope: "team" })).filter((key) => !key.project?.id);
}

async function findOurs(client: LatitudeClient, inputs: SshKeyInputs): Promise<SshKey | undefined> {
  const material = keyMaterial(inputs.publicKey);
  const candidates = (await keysInScope(client, inputs.projectId))
    .filter((key) => key.name === inputs.name && keyMaterial(key.public_key) === material)
    .map((key) => ({ id: key.id, tags: key.tags, key, label: `SSH key ${key.id} (name ${key.name}, project ${key.project?.slug ?? inputs.projectId ?? "none: team-wide"})` }));
  const owner = { subject: `SSH key ${inputs.name}`, identity: inputs.stackIdentity, projectId: inputs.projectId, tagIds: inputs.tagIds ?? [], rename: "rename the key in cto-metal:sshKeys" };
  return (await adoptable(client, candidates, owner))?.key;
}

async function adoptOrCreate(client: LatitudeClient, inputs: SshKeyInputs): Promise<SshKey> {
  const existing = await findOurs(client, inputs);
  if (existing) return existing;
  try {
    return await client.createSshKey({ name: inputs.name, public_key: inputs.publicKey.trim(), ...(inputs.projectId ? { project: inputs.projectId } : {}) });
  } catch (error) {
    if (!(isUnknownOutcome(error))) throw error;
    // The POST may have gone through: look before deciding, never POST twice.
    const created = await findOurs(client, inputs);
    if (created) return created;
    throw new Error(`${errorText(error)}; no SSH key named ${inputs.name} appeared afterwards, so run the command again`);
  }
}

function outputsOf(inputs: SshKeyInputs, key: SshKey): SshKeyOutputs {
  return { ...inputs, tagIds: tagIdsOf(key), sshKeyId: key.id, name: key.name, fingerprint: key.fingerprint ?? "" };
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
  },
});
