// The policy pack's decisions as pure functions over plain values: which stack a URN belongs to,
// whether it counts as a test stack, the cost ceiling, the billing rule, the allowlists and the
// stack tag. policies.ts reads the engine's proxied properties into these shapes; nothing here
// touches @pulumi/policy, so each rule is tested with hand-built values.

export const SERVER_TYPE = "pulumi-nodejs:dynamic/latitude:Server";
export const VLAN_TYPE = "pulumi-nodejs:dynamic/latitude:VirtualNetwork";
export const TAG_TYPE = "pulumi-nodejs:dynamic/latitude:Tag";

/** A value the engine does not know yet (preview of a resource that depends on one not created). */
export const UNKNOWN = { unknown: true } as const;
export type Unknown = typeof UNKNOWN;
export type Maybe<T> = T | Unknown;
export const isUnknown = (value: unknown): value is Unknown => value === UNKNOWN;

export interface StackId {
  project: string;
  stack: string;
}

/** `urn:pulumi:<stack>::<project>::<type>::<name>`: the one place a policy learns its stack. */
export function stackOfUrn(urn: string): StackId | undefined {
  const match = /^urn:pulumi:([^:]+)::([^:]+)::/.exec(urn);
  return match ? { stack: match[1]!, project: match[2]! } : undefined;
}

/** The tag ServerFleet creates and puts on everything the stack owns (index.ts: `${project}-${stack}`). */
export const expectedStackTag = (id: StackId): string => `${id.project}-${id.stack}`;

/** Shell-style patterns with `*` only ("pr-*"), matched against the whole stack name. */
export function matchesAny(stack: string, patterns: readonly string[]): boolean {
  return patterns.some((pattern) => {
    const source = pattern.split("*").map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join(".*");
    return new RegExp(`^${source}$`).test(stack);
  });
}

// --- configuration -----------------------------------------------------------------------------

export const DEFAULTS = {
  maxHourlyUsd: 1,
  testStacks: ["cto-test", "pr-*", "dev"],
  allowNonHourlyBilling: false as boolean | string[],
  allowedPlans: ["c2-small-x86"],
  allowedSites: ["MIA2"],
};

// --- cost ceiling ------------------------------------------------------------------------------

export interface ServerPrice {
  urn: string;
  name: string;
  /** The server's `hourlyPrice` input: USD per hour at planning time. */
  hourlyPrice: Maybe<unknown>;
}

export type CostVerdict =
  | { kind: "ok"; totalHourlyUsd: number }
  | { kind: "over"; totalHourlyUsd: number; message: string }
  | { kind: "invalid"; messages: Array<{ urn: string; message: string }> }
  /** Known prices fit, but some are unknown at preview: the sum cannot be decided yet. */
  | { kind: "unknown"; knownHourlyUsd: number; unknownNames: string[] };

const usd = (value: number): string => `$${value.toFixed(3)}/h`;

export function costCeiling(servers: readonly ServerPrice[], maxHourlyUsd: number): CostVerdict {
  const invalid = servers.filter((s) => !isUnknown(s.hourlyPrice) && !(typeof s.hourlyPrice === "number" && Number.isFinite(s.hourlyPrice) && s.hourlyPrice >= 0));
  if (invalid.length > 0) {
    return {
      kind: "invalid",
      messages: invalid.map((s) => ({ urn: s.urn, message: `Latitude server ${s.name}: hourlyPrice must be a non-negative number of USD, got ${JSON.stringify(s.hourlyPrice)}; the cost ceiling cannot be checked` })),
    };
  }
  const known = servers.filter((s) => !isUnknown(s.hourlyPrice));
  // Rounded to a tenth of a cent, so 0.1 + 0.2 does not exceed a 0.3 budget.
  const total = Math.round(known.reduce((sum, s) => sum + (s.hourlyPrice as number), 0) * 1e6) / 1e6;
  if (total > maxHourlyUsd) {
    const parts = known.map((s) => `${s.name} ${usd(s.hourlyPrice as number)}`).join(", ");
    return {
      kind: "over",
      totalHourlyUsd: total,
      message: `Latitude servers cost ${usd(total)}, over the budget of ${usd(maxHourlyUsd)} (${parts}). Remove nodes, pick a cheaper plan, or raise maxHourlyUsd in the policy pack config.`,
    };
  }
  const unknown = servers.filter((s) => isUnknown(s.hourlyPrice)).map((s) => s.name);
  if (unknown.length > 0) return { kind: "unknown", knownHourlyUsd: total, unknownNames: unknown };
  return { kind: "ok", totalHourlyUsd: total };
}

// --- billing of test stacks --------------------------------------------------------------------

export interface BillingRule {
  testStacks: readonly string[];
  /** true: every stack may; a list: the stacks (patterns) that may bill monthly or yearly. */
  allowNonHourlyBilling: boolean | readonly string[];
}

/** A violation message, or undefined when the billing is allowed. */
export function billingViolation(stack: string, serverName: string, billing: string, rule: BillingRule): string | undefined {
  if (billing === "hourly" || !matchesAny(stack, rule.testStacks)) return undefined;
  const optIn = rule.allowNonHourlyBilling;
  if (optIn === true || (Array.isArray(optIn) && matchesAny(stack, optIn))) return undefined;
  return `Latitude server ${serverName}: stack ${stack} is a test stack (testStacks ${JSON.stringify(rule.testStacks)}) and must bill hourly, got "${billing}". Set cto-metal:billing to hourly, or opt in with allowNonHourlyBilling in the policy pack config.`;
}

// --- allowlists --------------------------------------------------------------------------------

export interface Allowlist {
  allowedPlans: readonly string[];
  allowedSites: readonly string[];
}

/** Violations of the plan and site allowlists; a VLAN has no plan. Sites compare case-insensitively, as Latitude does. */
export function allowlistViolations(resource: string, placement: { plan?: string; site: string }, list: Allowlist): string[] {
  const messages: string[] = [];
  if (placement.plan !== undefined && !list.allowedPlans.includes(placement.plan)) {
    messages.push(`${resource}: plan "${placement.plan}" is not allowed; allowed plans: ${list.allowedPlans.join(", ") || "none"} (allowedPlans in the policy pack config).`);
  }
  if (!list.allowedSites.some((site) => site.toUpperCase() === placement.site.toUpperCase())) {
    messages.push(`${resource}: site "${placement.site}" is not allowed; allowed sites: ${list.allowedSites.join(", ") || "none"} (allowedSites in the policy pack config).`);
  }
  return messages;
}

// --- stack tag ---------------------------------------------------------------------------------

export interface TaggedResource {
  urn: string;
  /** "server" or "VLAN", for messages. */
  kind: string;
  name: string;
  /** Servers carry the tag name as an input; VLANs only its id (undefined: no such input). */
  stackTag?: Maybe<unknown>;
  tagIds: Maybe<unknown>;
}

export interface StackTagView {
  expected: string;
  /** Latitude Tag resources of the stack: their name input and tagId (unknown before create). */
  tags: ReadonlyArray<{ name: Maybe<unknown>; tagId: Maybe<unknown> }>;
  members: readonly TaggedResource[];
}

/**
 * Every server and VLAN carries the stack's tag: a server names it in `stackTag`, and each
 * member's `tagIds` holds the id of the stack's Tag `<project>-<stack>`. Unknown ids (preview of
 * a fresh stack) are not violations; they are checked again at `up`.
 */
export function stackTagViolations(view: StackTagView): Array<{ urn?: string; message: string }> {
  if (view.members.length === 0) return [];
  const out: Array<{ urn?: string; message: string }> = [];
  const ours = view.tags.filter((tag) => tag.name === view.expected);
  if (ours.length === 0 && !view.tags.some((tag) => isUnknown(tag.name))) {
    out.push({ message: `No Latitude tag named "${view.expected}" in the stack: every server and VLAN must carry the stack's tag <project>-<stack>.` });
  }
  const ourIds = ours.map((tag) => tag.tagId).filter((id): id is string => typeof id === "string");
  for (const member of view.members) {
    const label = `Latitude ${member.kind} ${member.name}`;
    if (member.stackTag !== undefined && !isUnknown(member.stackTag) && member.stackTag !== view.expected) {
      out.push({ urn: member.urn, message: `${label}: stackTag is ${JSON.stringify(member.stackTag)}, expected "${view.expected}" (<project>-<stack>).` });
    }
    if (isUnknown(member.tagIds)) continue;
    const ids = Array.isArray(member.tagIds) ? (member.tagIds as unknown[]) : [];
    if (ids.length === 0) {
      out.push({ urn: member.urn, message: `${label}: carries no Latitude tag; it must carry the stack's tag "${view.expected}".` });
    } else if (ourIds.length > 0 && !ids.some((id) => ourIds.includes(id as string))) {
      out.push({ urn: member.urn, message: `${label}: its tags ${JSON.stringify(ids)} do not include the stack's tag "${view.expected}" (${ourIds.join(", ")}).` });
    }
  }
  return out;
}
