// Which Latitude resources a stack may adopt. Hostnames, key names and VLAN descriptions are only
// names: two Pulumi projects (or two backends) with a `dev` stack on one Latitude team produce the
// same ones. What belongs to a stack is what carries its identity, a random id created once and
// kept in state (stackIdentityProvider.ts): written into the description of the stack's tag and of
// a project the stack created. A same-named resource is adopted only when it carries the stack's
// tag, or, untagged, sits in a project this stack created; anything else is refused by name.
// This module is serialized into the dynamic providers: nothing here may capture state.
import type { LatitudeClient } from "./client";

/** How an identity reads inside a description: "(stack identity 0123456789abcdef)". */
const IDENTITY_PATTERN = /\bstack identity ([0-9a-f]{16})\b/i;

/** The words a description carries to name its owner. */
export function ownerNote(stackTag: string, identity: string): string {
  return `owned by Pulumi stack ${stackTag} (stack identity ${identity})`;
}

/** The stack identity a description names, if any. */
export function identityIn(text: string | null | undefined): string | undefined {
  return IDENTITY_PATTERN.exec(text ?? "")?.[1]?.toLowerCase();
}

type EmbeddedTag = { id: string; name: string; description?: string | null };

/** A same-named resource found before a create, as Latitude lists it. */
export interface AdoptionCandidate {
  id: string;
  /** "server sv_… (hostname …, project …)": how the error names it. */
  label: string;
  tags?: readonly EmbeddedTag[] | null;
}

export interface Owner {
  /** What is being created, for the error: "node w1 (cto-cto-metal-dev-w1)". */
  subject: string;
  identity: string;
  projectId?: string;
  /** The stack's tag name, for the error's way out. */
  stackTag?: string;
  /** How this stack gets another name, for the error: "change cto-metal:hostnamePrefix". */
  rename: string;
  tagIds: readonly string[];
}

type Verdict = { kind: "ours" } | { kind: "untagged" } | { kind: "foreign"; tag: EmbeddedTag; identity: string };

function verdictOf(candidate: AdoptionCandidate, owner: Pick<Owner, "identity" | "tagIds">): Verdict {
  const tags = candidate.tags ?? [];
  // The stack's own tag (by id) is ours even where an answer embeds it without its description:
  // the Tag provider took that tag only because its description names this identity.
  if (tags.some((tag) => owner.tagIds.includes(tag.id))) return { kind: "ours" };
  const marked = tags.map((tag) => ({ tag, identity: identityIn(tag.description) })).filter((t) => t.identity !== undefined);
  if (marked.some((t) => t.identity === owner.identity.toLowerCase())) return { kind: "ours" };
  const foreign = marked[0];
  return foreign ? { kind: "foreign", tag: foreign.tag, identity: foreign.identity! } : { kind: "untagged" };
}

/** Whether the project's description names this stack's identity: the stack created it. */
async function projectIsOurs(client: LatitudeClient, projectId: string | undefined, identity: string): Promise<boolean> {
  if (!projectId) return false;
  const project = await client.findProject(projectId);
  return identityIn(project?.description) === identity.toLowerCase();
}

/**
 * The candidate this stack may adopt (the first in the given order), undefined when there is none,
 * or an error naming every candidate when some exist and none is ours.
 */
export async function adoptable<T extends AdoptionCandidate>(client: LatitudeClient, candidates: readonly T[], owner: Owner): Promise<T | undefined> {
  if (candidates.length === 0) return undefined;
  const judged = candidates.map((candidate) => ({ candidate, verdict: verdictOf(candidate, owner) }));
  const ours = judged.find((j) => j.verdict.kind === "ours");
  if (ours) return ours.candidate;
  const untagged = judged.find((j) => j.verdict.kind === "untagged");
  // POST bodies take no tags, so a create interrupted before its tag PATCH leaves an untagged
  // resource. Inside a project this stack created, nobody else puts servers, keys or VLANs of our
  // names: it is ours. In an adopted project it may be anyone's.
  if (untagged && (await projectIsOurs(client, owner.projectId, owner.identity))) return untagged.candidate;
  const ids = owner.tagIds.length > 0 ? ` (${owner.tagIds.join(", ")})` : "";
  const tagRef = owner.stackTag ? `"${owner.stackTag}"${ids}` : `of this stack${ids}`;
  const reasons = judged.map(({ candidate, verdict }): string =>
    verdict.kind === "foreign"
      ? `${candidate.label}, which carries another Pulumi stack's tag "${verdict.tag.name}" (stack identity ${verdict.identity})`
      : `${candidate.label}, which carries no stack's tag and is in a project this stack did not create`,
  );
  const foreign = judged.some((j) => j.verdict.kind === "foreign");
  const wayOut = [
    foreign ? `what another stack's tag marks is that stack's: ${owner.rename}, or remove it from that stack` : undefined,
    untagged ? `if it is this stack's (an \`up\` interrupted before tagging it), attach the tag ${tagRef} to it in Latitude and run \`pulumi up\` again; if not, rename or delete it, or ${owner.rename}` : undefined,
  ]
    .filter((text) => text !== undefined)
    .join("; ");
  throw new Error(`${owner.subject}: Latitude already holds ${reasons.join("; and ")}. This stack neither adopts nor deletes it: ${wayOut}`);
}
