// The pack's policies invoked as the analyzer server invokes them: properties wrapped in the SDK's
// unknown-checking proxy, config from getConfig, violations collected from reportViolation.
import * as fs from "node:fs";
import * as path from "node:path";
import type { ResourceValidationArgs, ResourceValidationPolicy, StackValidationArgs, StackValidationPolicy } from "@pulumi/policy";
import { describe, expect, it } from "vitest";
import { allowlistPolicy, costCeilingPolicy, policies, readProp, stackTagPolicy, testStackBillingPolicy } from "../../policy/policies";
import { SERVER_TYPE, TAG_TYPE, UNKNOWN, VLAN_TYPE } from "../../policy/decisions";

// What the engine sends for a value it does not know yet, and the SDK's proxy (internal declarations).
const UNKNOWN_VALUE = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
const sdk = require("@pulumi/policy") as { unknownCheckingProxy<T extends object>(props: T): T; UnknownValueError: new (...args: never[]) => Error };

const urnOf = (type: string, name: string, stack: string) => `urn:pulumi:${stack}::cto-metal::cto:fleet:ServerFleet$${type}::${name}`;
const serverProps = (overrides: Record<string, unknown> = {}) => ({
  plan: "c2-small-x86",
  site: "MIA2",
  billing: "hourly",
  hourlyPrice: 0.2,
  stackTag: "cto-metal-cto-test",
  tagIds: ["tag_1"],
  ...overrides,
});

type Violation = { message: string; urn?: string };
const noop = () => undefined as never;

function resourceArgs(type: string, name: string, props: Record<string, unknown>, config: object = {}, stack = "cto-test"): ResourceValidationArgs {
  return {
    type,
    name,
    urn: urnOf(type, name, stack),
    props: sdk.unknownCheckingProxy(props),
    opts: { protect: false, ignoreChanges: [], aliases: [], customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 }, additionalSecretOutputs: [] },
    stackTags: new Map(),
    isType: () => false,
    asType: () => undefined,
    getConfig: <T extends object>() => config as T,
    notApplicable: noop,
  };
}

function runResource(policy: ResourceValidationPolicy, args: ResourceValidationArgs): Violation[] {
  const out: Violation[] = [];
  const validate = policy.validateResource;
  for (const v of Array.isArray(validate) ? validate : [validate!]) void v(args, (message, urn) => out.push({ message, ...(urn && { urn }) }));
  return out;
}

function stackArgs(resources: Array<{ type: string; name: string; props: Record<string, unknown> }>, config: object = {}, stack = "cto-test"): StackValidationArgs {
  return {
    resources: resources.map((r) => ({ ...resourceArgs(r.type, r.name, r.props, config, stack), dependencies: [], propertyDependencies: {} })),
    stackTags: new Map(),
    getConfig: <T extends object>() => config as T,
    notApplicable: noop,
  };
}

function runStack(policy: StackValidationPolicy, args: StackValidationArgs): Violation[] {
  const out: Violation[] = [];
  void policy.validateStack(args, (message, urn) => out.push({ message, ...(urn && { urn }) }));
  return out;
}

const fleet = (overrides: { cp1?: Record<string, unknown>; worker1?: Record<string, unknown>; vlan?: Record<string, unknown>; tag?: Record<string, unknown> } = {}) => [
  { type: TAG_TYPE, name: "cto-tag", props: { name: "cto-metal-cto-test", tagId: "tag_1", ...overrides.tag } },
  { type: SERVER_TYPE, name: "cto-cp1", props: serverProps(overrides.cp1) },
  { type: SERVER_TYPE, name: "cto-worker1", props: serverProps(overrides.worker1) },
  { type: VLAN_TYPE, name: "cto-vlan", props: { site: "MIA2", description: "cto-metal-cto-test private network", tagIds: ["tag_1"], ...overrides.vlan } },
];

describe("the pack", () => {
  it("has four uniquely named policies with descriptions", () => {
    expect(policies.map((p) => p.name)).toEqual(["latitude-cost-ceiling", "latitude-test-stack-billing", "latitude-plan-site-allowlist", "latitude-stack-tag"]);
    expect(policies.every((p) => p.description.length > 0 && p.enforcementLevel === undefined)).toBe(true);
  });

  it("ships an example config that names only its policies and their schema keys", () => {
    const config = JSON.parse(fs.readFileSync(path.join(__dirname, "../../policy/config.cto-test.json"), "utf8")) as Record<string, unknown>;
    for (const [name, value] of Object.entries(config)) {
      const policy = policies.find((p) => p.name === name);
      expect(policy, name).toBeDefined();
      if (typeof value === "object" && value) {
        const keys = Object.keys(value).filter((k) => k !== "enforcementLevel");
        expect(keys.every((k) => k in (policy!.configSchema?.properties ?? {})), name).toBe(true);
      }
    }
  });

  it("is laid out for `pulumi preview --policy-pack policy`", () => {
    const dir = path.join(__dirname, "../../policy");
    expect(fs.readFileSync(path.join(dir, "PulumiPolicy.yaml"), "utf8")).toMatch(/^runtime: nodejs$/m);
    const pkg = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")) as { version?: string; main?: string; dependencies?: object };
    expect(pkg).toMatchObject({ version: "0.1.0", main: "index.ts" });
    expect(pkg.dependencies).toBeUndefined();
  });
});

describe("readProp", () => {
  it("returns known values, copies arrays and maps unknown ones to UNKNOWN", () => {
    const errors: Error[] = [];
    const props = sdk.unknownCheckingProxy({ a: 1, ids: ["x"], gone: UNKNOWN_VALUE, partly: ["x", UNKNOWN_VALUE] });
    expect(readProp(props, "a")).toBe(1);
    expect(readProp(props, "ids")).toEqual(["x"]);
    expect(readProp(props, "gone", errors)).toBe(UNKNOWN);
    expect(readProp(props, "partly", errors)).toBe(UNKNOWN);
    expect(errors).toHaveLength(2);
  });
});

describe("latitude-cost-ceiling", () => {
  it("passes a fleet within the budget (default $1/h) and fails one over it", () => {
    expect(runStack(costCeilingPolicy, stackArgs(fleet()))).toEqual([]);
    expect(runStack(costCeilingPolicy, stackArgs(fleet(), { maxHourlyUsd: 0.3 }))).toEqual([
      { message: "Latitude servers cost $0.400/h, over the budget of $0.300/h (cto-cp1 $0.200/h, cto-worker1 $0.200/h). Remove nodes, pick a cheaper plan, or raise maxHourlyUsd in the policy pack config." },
    ]);
  });

  it("throws the SDK's UnknownValueError (an advisory message) when a price is unknown at preview", () => {
    const args = stackArgs(fleet({ worker1: { hourlyPrice: UNKNOWN_VALUE } }));
    expect(() => runStack(costCeilingPolicy, args)).toThrow(sdk.UnknownValueError);
    expect(() => runStack(costCeilingPolicy, args)).toThrow(/hourlyPrice can't be known during preview/);
    // ...but known prices already over the budget are a violation, not an advisory.
    expect(runStack(costCeilingPolicy, stackArgs(fleet({ worker1: { hourlyPrice: UNKNOWN_VALUE } }), { maxHourlyUsd: 0.1 }))).toHaveLength(1);
  });
});

describe("latitude-test-stack-billing", () => {
  const server = (billing: string, stack: string, config: object = {}) => runResource(testStackBillingPolicy, resourceArgs(SERVER_TYPE, "cto-cp1", serverProps({ billing }), config, stack));

  it("passes hourly test stacks and any billing elsewhere", () => {
    expect(server("hourly", "cto-test")).toEqual([]);
    expect(server("yearly", "production")).toEqual([]);
    expect(runResource(testStackBillingPolicy, resourceArgs(VLAN_TYPE, "cto-vlan", { site: "MIA2" }, {}, "pr-3"))).toEqual([]);
  });

  it("fails monthly billing of a default test stack (pr-*) unless opted in", () => {
    expect(server("monthly", "pr-3")).toHaveLength(1);
    expect(server("monthly", "pr-3")[0]!.message).toMatch(/^Latitude server cto-cp1: stack pr-3 is a test stack/);
    expect(server("monthly", "pr-3", { allowNonHourlyBilling: ["pr-3"] })).toEqual([]);
    expect(server("monthly", "staging", { testStacks: ["staging"] })).toHaveLength(1);
  });
});

describe("latitude-plan-site-allowlist", () => {
  it("passes the default allowlist (c2-small-x86 in MIA2) and fails others, servers and VLANs", () => {
    expect(runResource(allowlistPolicy, resourceArgs(SERVER_TYPE, "cto-cp1", serverProps()))).toEqual([]);
    expect(runResource(allowlistPolicy, resourceArgs(SERVER_TYPE, "cto-cp1", serverProps({ plan: "c3-large-x86" }))).map((v) => v.message)).toEqual([
      'Latitude server cto-cp1: plan "c3-large-x86" is not allowed; allowed plans: c2-small-x86 (allowedPlans in the policy pack config).',
    ]);
    expect(runResource(allowlistPolicy, resourceArgs(VLAN_TYPE, "cto-vlan", { site: "FRA" })).map((v) => v.message)).toEqual([
      'Latitude VLAN cto-vlan: site "FRA" is not allowed; allowed sites: MIA2 (allowedSites in the policy pack config).',
    ]);
    expect(runResource(allowlistPolicy, resourceArgs(VLAN_TYPE, "cto-vlan", { site: "FRA" }, { allowedSites: ["FRA"] }))).toEqual([]);
    expect(runResource(allowlistPolicy, resourceArgs(TAG_TYPE, "cto-tag", { name: "x" }))).toEqual([]);
  });
});

describe("latitude-stack-tag", () => {
  it("passes a tagged fleet, and a fresh stack whose tag ids are unknown at preview", () => {
    expect(runStack(stackTagPolicy, stackArgs(fleet()))).toEqual([]);
    const fresh = fleet({ tag: { tagId: UNKNOWN_VALUE }, cp1: { tagIds: UNKNOWN_VALUE }, worker1: { tagIds: UNKNOWN_VALUE }, vlan: { tagIds: UNKNOWN_VALUE } });
    expect(runStack(stackTagPolicy, stackArgs(fresh))).toEqual([]);
  });

  it("fails a server tagged for another stack and an untagged VLAN, naming their URNs", () => {
    const violations = runStack(stackTagPolicy, stackArgs(fleet({ cp1: { stackTag: "cto-metal-prod" }, vlan: { tagIds: [] } })));
    expect(violations.map((v) => v.urn)).toEqual([urnOf(SERVER_TYPE, "cto-cp1", "cto-test"), urnOf(VLAN_TYPE, "cto-vlan", "cto-test")]);
  });

  it("expects the tag of the stack under review (from the URN)", () => {
    const violations = runStack(stackTagPolicy, stackArgs(fleet(), {}, "pr-9"));
    expect(violations[0]).toEqual({ message: 'No Latitude tag named "cto-metal-pr-9" in the stack: every server and VLAN must carry the stack\'s tag <project>-<stack>.' });
    expect(violations).toHaveLength(3);
  });
});
