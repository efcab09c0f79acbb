// The pack's policies: each reads the engine's view of the Latitude resources (the dynamic
// providers' inputs: plan, site, billing, hourlyPrice, stackTag, tagIds) into plain values and
// asks decisions.ts. Kept apart from index.ts, which starts the analyzer server, so tests can call
// validateResource/validateStack directly.
import type { Policies, PolicyResource, ReportViolation, ResourceValidationArgs, ResourceValidationPolicy, StackValidationArgs, StackValidationPolicy } from "@pulumi/policy";
import {
  allowlistViolations,
  billingViolation,
  costCeiling,
  DEFAULTS,
  expectedStackTag,
  SERVER_TYPE,
  stackOfUrn,
  stackTagViolations,
  TAG_TYPE,
  UNKNOWN,
  VLAN_TYPE,
  type Maybe,
} from "./decisions";

// The SDK exports this class at run time, but its declaration is internal. Thrown from a
// validation, it becomes an advisory "can't be known during preview" message, not a failure.
const { UnknownValueError } = require("@pulumi/policy") as { UnknownValueError: new (sentinel: string, path: string[]) => Error };

type Props = Record<string, unknown>;

/** A property, UNKNOWN when the engine does not know it yet; arrays are copied out of the proxy. */
export function readProp(props: Props, key: string, errors?: Error[]): Maybe<unknown> {
  try {
    const value = props[key];
    return Array.isArray(value) ? [...(value as unknown[])] : value;
  } catch (error) {
    if (!(error instanceof UnknownValueError)) throw error;
    errors?.push(error);
    return UNKNOWN;
  }
}

function stackOf(urn: string): { project: string; stack: string } {
  const id = stackOfUrn(urn);
  if (!id) throw new Error(`cto-metal policy pack: cannot read the stack from URN ${urn}`);
  return id;
}

export interface CostConfig {
  maxHourlyUsd: number;
}
export interface BillingConfig {
  testStacks: string[];
  allowNonHourlyBilling: boolean | string[];
}
export interface AllowlistConfig {
  allowedPlans: string[];
  allowedSites: string[];
}

export const costCeilingPolicy: StackValidationPolicy = {
  name: "latitude-cost-ceiling",
  description: "The Latitude servers' hourly prices (hourlyPrice inputs) add up to at most maxHourlyUsd.",
  configSchema: { properties: { maxHourlyUsd: { type: "number", minimum: 0, default: DEFAULTS.maxHourlyUsd } } },
  validateStack: (args: StackValidationArgs, reportViolation: ReportViolation) => {
    const { maxHourlyUsd } = { maxHourlyUsd: DEFAULTS.maxHourlyUsd, ...args.getConfig<Partial<CostConfig>>() };
    const unknownErrors: Error[] = [];
    const servers = args.resources
      .filter((r) => r.type === SERVER_TYPE)
      .map((r) => ({ urn: r.urn, name: r.name, hourlyPrice: readProp(r.props, "hourlyPrice", unknownErrors) }));
    const verdict = costCeiling(servers, maxHourlyUsd);
    if (verdict.kind === "over") reportViolation(verdict.message);
    if (verdict.kind === "invalid") for (const v of verdict.messages) reportViolation(v.message, v.urn);
    // Not decidable yet: the SDK turns this into an advisory message naming the unknown input.
    if (verdict.kind === "unknown") throw unknownErrors[0]!;
  },
};

export const testStackBillingPolicy: ResourceValidationPolicy = {
  name: "latitude-test-stack-billing",
  description: "Servers of test stacks bill hourly, unless the stack is opted in to monthly or yearly billing.",
  configSchema: {
    properties: {
      testStacks: { type: "array", items: { type: "string" }, default: DEFAULTS.testStacks },
      allowNonHourlyBilling: { type: ["boolean", "array"], items: { type: "string" }, default: DEFAULTS.allowNonHourlyBilling },
    },
  },
  validateResource: (args: ResourceValidationArgs, reportViolation: ReportViolation) => {
    if (args.type !== SERVER_TYPE) return;
    const rule = { testStacks: DEFAULTS.testStacks, allowNonHourlyBilling: DEFAULTS.allowNonHourlyBilling, ...args.getConfig<Partial<BillingConfig>>() };
    const message = billingViolation(stackOf(args.urn).stack, args.name, String(args.props["billing"]), rule);
    if (message) reportViolation(message);
  },
};

export const allowlistPolicy: ResourceValidationPolicy = {
  name: "latitude-plan-site-allowlist",
  description: "Latitude servers use an allowed plan and site; VLANs an allowed site.",
  configSchema: {
    properties: {
      allowedPlans: { type: "array", items: { type: "string" }, default: DEFAULTS.allowedPlans },
      allowedSites: { type: "array", items: { type: "string" }, default: DEFAULTS.allowedSites },
    },
  },
  validateResource: (args: ResourceValidationArgs, reportViolation: ReportViolation) => {
    if (args.type !== SERVER_TYPE && args.type !== VLAN_TYPE) return;
    const list = { allowedPlans: DEFAULTS.allowedPlans, allowedSites: DEFAULTS.allowedSites, ...args.getConfig<Partial<AllowlistConfig>>() };
    const kind = args.type === SERVER_TYPE ? "server" : "VLAN";
    const placement = { site: String(args.props["site"]), ...(kind === "server" && { plan: String(args.props["plan"]) }) };
    for (const message of allowlistViolations(`Latitude ${kind} ${args.name}`, placement, list)) reportViolation(message);
  },
};

const member = (r: PolicyResource) => ({
  urn: r.urn,
  kind: r.type === SERVER_TYPE ? "server" : "VLAN",
  name: r.name,
  ...(r.type === SERVER_TYPE && { stackTag: readProp(r.props, "stackTag") }),
  tagIds: readProp(r.props, "tagIds"),
});

export const stackTagPolicy: StackValidationPolicy = {
  name: "latitude-stack-tag",
  description: "Every Latitude server and VLAN carries the stack's tag <project>-<stack>.",
  validateStack: (args: StackValidationArgs, reportViolation: ReportViolation) => {
    const first = args.resources[0];
    if (!first) return;
    const members = args.resources.filter((r) => r.type === SERVER_TYPE || r.type === VLAN_TYPE).map(member);
    const tags = args.resources.filter((r) => r.type === TAG_TYPE).map((r) => ({ name: readProp(r.props, "name"), tagId: readProp(r.props, "tagId") }));
    const expected = expectedStackTag(stackOf(first.urn));
    for (const v of stackTagViolations({ expected, tags, members })) reportViolation(v.message, v.urn);
  },
};

export const policies: Policies = [costCeilingPolicy, testStackBillingPolicy, allowlistPolicy, stackTagPolicy];
