// The Latitude Tag dynamic provider. Latitude enforces unique tag names per team. Our tag name
// carries the Pulumi project and stack, but a second backend can hold a stack of the same names:
// a tag of exactly our name is ours (left by an interrupted create) only when its description
// names our stack identity (ownership.ts); create adopts it instead of failing on
// NAME_ALREADY_TAKEN, and refuses, naming it, a tag that names another identity.
// This object is serialized into state: dependencies are local modules or require()d inside.
import type * as pulumi from "@pulumi/pulumi";
import type { LatitudeClient } from "./client";
import { isLatitudeApiError, isUnknownOutcome } from "./errors";
import { identityIn } from "./ownership";
import { errorText, providerClient, rememberProviderConfig, withEncodableOutputs } from "./providerRuntime";
import type { Tag } from "./schemas";
import { UNKNOWN } from "./serverDecisions";

export const TAG_NAME_MAX = 40;
const COLOR = /^#[0-9a-fA-F]{6}$/;

export interface TagInputs {
  /** Bumped with the provider code, so the engine stores the new code in state. */
  providerVersion: string;
  /** At most 40 characters, unique per team. */
  name: string;
  /** Managed only when set: left out, whatever the tag carries is kept. */
  description?: string;
  /** "#rrggbb"; managed only when set (Latitude's default is #ffffff). */
  color?: string;
}

export interface TagOutputs extends Omit<TagInputs, "description" | "color"> {
  tagId: string;
  /** As Latitude holds it ("" when none). */
  description: string;
  color: string;
}

type TagPatch = Parameters<LatitudeClient["updateTag"]>[1];

const known = (value: unknown): boolean => value !== undefined && value !== UNKNOWN;

function outputsOf(inputs: TagInputs, tag: Tag): TagOutputs {
  return { ...inputs, tagId: tag.id, name: tag.name, description: tag.description ?? "", color: tag.color ?? "#ffffff" };
}

/** What to PATCH so the tag matches the inputs; `current` is what Latitude (or state) holds. */
function tagPatch(current: { name: string; description: string; color: string }, news: TagInputs): TagPatch {
  const patch: TagPatch = {};
  if (current.name !== news.name) patch.name = news.name;
  if (news.description !== undefined && news.description !== current.description) patch.description = news.description;
  if (news.color !== undefined && news.color.toLowerCase() !== current.color.toLowerCase()) patch.color = news.color;
  return patch;
}

/**
 * The tag of exactly this name, when it is ours: its description names the same stack identity
 * as ours (or, for a tag without one in its inputs, none at all). Another's fails, naming it.
 */
async function findOurs(client: LatitudeClient, inputs: TagInputs): Promise<Tag | undefined> {
  const existing = (await client.listTags()).find((tag) => tag.name === inputs.name);
  if (!existing) return undefined;
  const theirs = identityIn(existing.description);
  if (theirs === identityIn(inputs.description)) return existing;
  const owner = theirs ? `belongs to another Pulumi stack (stack identity ${theirs})` : "was not made by this stack (its description names no stack identity)";
  throw new Error(
    `Latitude tag "${existing.name}" (${existing.id}) ${owner}; tag names are unique per team, so a stack of the same Pulumi project and stack ` +
      `names (another backend?) already uses it. Give this stack another name (\`pulumi stack rename\`), or, if that stack is gone, delete the tag in Latitude; ` +
      `this stack neither adopts nor deletes it`,
  );
}

async function adoptOrCreate(client: LatitudeClient, inputs: TagInputs): Promise<Tag> {
  const existing = await findOurs(client, inputs);
  if (existing) return existing;
  try {
    return await client.createTag({
      name: inputs.name,
      ...(inputs.description !== undefined ? { description: inputs.description } : {}),
      ...(inputs.color !== undefined ? { color: inputs.color } : {}),
    });
  } catch (error) {
    // The POST may have gone through (lost response) or raced another run: look before failing.
    const raced = isLatitudeApiError(error) && error.code === "NAME_ALREADY_TAKEN";
    if (raced || isUnknownOutcome(error)) {
      const created = await findOurs(client, inputs);
      if (created) return created;
    }
    if (isLatitudeApiError(error, 422)) {
      throw new Error(`Latitude tag "${inputs.name}": ${errorText(error)}; tag names are unique per team (case and spacing ignored), so choose another tag name`);
    }
    throw error;
  }
}

export const tagProvider: pulumi.dynamic.ResourceProvider<TagInputs, TagOutputs> = withEncodableOutputs({
  configure(request: pulumi.dynamic.ConfigureRequest): Promise<void> {
    rememberProviderConfig(request.config);
    return Promise.resolve();
  },

  check(_olds: TagInputs, news: TagInputs): Promise<pulumi.dynamic.CheckResult<TagInputs>> {
    const failures: pulumi.dynamic.CheckFailure[] = [];
    if (known(news.name)) {
      if (typeof news.name !== "string" || news.name.trim() === "") failures.push({ property: "name", reason: "a Latitude tag needs a name" });
      else if (news.name.length > TAG_NAME_MAX) failures.push({ property: "name", reason: `Latitude tag names have at most ${TAG_NAME_MAX} characters, "${news.name}" has ${news.name.length}` });
    }
    if (known(news.color) && !COLOR.test(String(news.color))) failures.push({ property: "color", reason: `expected a colour like "#1f6feb", got ${JSON.stringify(news.color)}` });
    if (known(news.description) && String(news.description).length > 255) failures.push({ property: "description", reason: "Latitude tag descriptions have at most 255 characters" });
    return Promise.resolve({ inputs: news, failures });
  },

  diff(_id: string, olds: TagOutputs, news: TagInputs): Promise<pulumi.dynamic.DiffResult> {
    // Every tag field is patched in place: a tag id is referenced by servers and VLANs.
    const changes = Object.keys(tagPatch(olds, news)).length > 0 || olds.providerVersion !== news.providerVersion;
    return Promise.resolve({ changes, replaces: [], deleteBeforeReplace: false });
  },

  async create(inputs: TagInputs): Promise<pulumi.dynamic.CreateResult<TagOutputs>> {
    const client = providerClient();
    let tag = await adoptOrCreate(client, inputs);
    // An adopted tag may carry an older description or colour.
    const patch = tagPatch({ name: tag.name, description: tag.description ?? "", color: tag.color ?? "#ffffff" }, inputs);
    if (Object.keys(patch).length > 0) tag = await client.updateTag(tag.id, patch);
    return { id: tag.id, outs: outputsOf(inputs, tag) };
  },

  async read(id: string, props?: TagOutputs): Promise<pulumi.dynamic.ReadResult<TagOutputs>> {
    if (!props) throw new Error(`importing Latitude tag ${id} is not supported: dynamic resources cannot be imported`);
    // No single GET for tags: read by listing.
    const tag = (await providerClient().listTags()).find((t) => t.id === id);
    // Deleted behind our back: an empty id tells `pulumi refresh` to drop it from state.
    if (!tag) return { id: "", props: {} as TagOutputs };
    return { id, props: { ...props, name: tag.name, description: tag.description ?? "", color: tag.color ?? "#ffffff" } };
  },

  async update(id: string, olds: TagOutputs, news: TagInputs): Promise<pulumi.dynamic.UpdateResult<TagOutputs>> {
    const patch = tagPatch(olds, news);
    if (Object.keys(patch).length === 0) return { outs: { ...olds, ...news, description: olds.description, color: olds.color, tagId: id } };
    try {
      return { outs: outputsOf(news, await providerClient().updateTag(id, patch)) };
    } catch (error) {
      if (isLatitudeApiError(error, 404)) {
        throw new Error(`Latitude tag ${id} ("${olds.name}") no longer exists; run \`pulumi refresh\` to drop it from state, then \`pulumi up\` creates it again`);
      }
      if (isLatitudeApiError(error, 422)) {
        throw new Error(`renaming Latitude tag "${olds.name}" to "${news.name}": ${errorText(error)}; tag names are unique per team, so choose another name`);
      }
      throw error;
    }
  },

  async delete(id: string): Promise<void> {
    // false (404) means already gone, which is what we wanted.
    await providerClient().deleteTag(id);
  },
});
