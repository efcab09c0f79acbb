// The policy pack's pure decisions, with hand-built values.
import { describe, expect, it } from "vitest";
import {
  allowlistViolations,
  billingViolation,
  costCeiling,
  expectedStackTag,
  matchesAny,
  stackOfUrn,
  stackTagViolations,
  UNKNOWN,
  type TaggedResource,
} from "../../policy/decisions";

const urn = (name: string, stack = "cto-test") => `urn:pulumi:${stack}::cto-metal::cto:fleet:ServerFleet$pulumi-nodejs:dynamic/latitude:Server::${name}`;

describe("stack identity", () => {
  it("reads stack and project from a URN and builds the tag name index.ts uses", () => {
    expect(stackOfUrn(urn("cto-cp1", "pr-12"))).toEqual({ stack: "pr-12", project: "cto-metal" });
    expect(stackOfUrn("not-a-urn")).toBeUndefined();
    expect(expectedStackTag({ project: "cto-metal", stack: "cto-test" })).toBe("cto-metal-cto-test");
  });

  it("matches whole stack names against * patterns, nothing else special", () => {
    const patterns = ["cto-test", "pr-*", "dev"];
    expect(["cto-test", "pr-1", "pr-", "dev"].filter((s) => matchesAny(s, patterns))).toEqual(["cto-test", "pr-1", "pr-", "dev"]);
    expect(["production", "dev2", "xpr-1", "cto-test-2"].filter((s) => matchesAny(s, patterns))).toEqual([]);
    expect(matchesAny("a.b", ["a.b"])).toBe(true);
    expect(matchesAny("axb", ["a.b"])).toBe(false);
  });
});

describe("cost ceiling", () => {
  const server = (name: string, hourlyPrice: unknown) => ({ urn: urn(name), name, hourlyPrice });

  it("passes at or under the budget, without float noise", () => {
    expect(costCeiling([server("cp1", 0.1), server("w1", 0.2)], 0.3)).toEqual({ kind: "ok", totalHourlyUsd: 0.3 });
    expect(costCeiling([], 0)).toEqual({ kind: "ok", totalHourlyUsd: 0 });
  });

  it("fails over the budget and names every server's price", () => {
    const verdict = costCeiling([server("cp1", 0.2), server("w1", 0.9)], 1);
    expect(verdict.kind).toBe("over");
    expect(verdict.kind === "over" && verdict.message).toBe(
      "Latitude servers cost $1.100/h, over the budget of $1.000/h (cp1 $0.200/h, w1 $0.900/h). Remove nodes, pick a cheaper plan, or raise maxHourlyUsd in the policy pack config.",
    );
  });

  it("is undecided while a price is unknown, unless the known ones already exceed", () => {
    expect(costCeiling([server("cp1", 0.2), server("w1", UNKNOWN)], 1)).toEqual({ kind: "unknown", knownHourlyUsd: 0.2, unknownNames: ["w1"] });
    expect(costCeiling([server("cp1", 2), server("w1", UNKNOWN)], 1).kind).toBe("over");
  });

  it("rejects a price that is not a non-negative number", () => {
    const verdict = costCeiling([server("cp1", "0.2"), server("w1", -1), server("w2", 0.1)], 1);
    expect(verdict.kind === "invalid" && verdict.messages.map((m) => m.urn)).toEqual([urn("cp1"), urn("w1")]);
  });
});

describe("billing of test stacks", () => {
  const rule = { testStacks: ["cto-test", "pr-*"], allowNonHourlyBilling: false };

  it("lets test stacks bill hourly and other stacks bill as they like", () => {
    expect(billingViolation("pr-7", "cto-cp1", "hourly", rule)).toBeUndefined();
    expect(billingViolation("production", "cto-cp1", "yearly", rule)).toBeUndefined();
  });

  it("refuses monthly or yearly billing of a test stack without an opt-in", () => {
    expect(billingViolation("pr-7", "cto-cp1", "monthly", rule)).toBe(
      'Latitude server cto-cp1: stack pr-7 is a test stack (testStacks ["cto-test","pr-*"]) and must bill hourly, got "monthly". Set cto-metal:billing to hourly, or opt in with allowNonHourlyBilling in the policy pack config.',
    );
    expect(billingViolation("cto-test", "cto-cp1", "yearly", rule)).toMatch(/must bill hourly/);
  });

  it("honours an opt-in for all stacks or for listed ones", () => {
    expect(billingViolation("pr-7", "cto-cp1", "monthly", { ...rule, allowNonHourlyBilling: true })).toBeUndefined();
    expect(billingViolation("pr-7", "cto-cp1", "monthly", { ...rule, allowNonHourlyBilling: ["pr-*"] })).toBeUndefined();
    expect(billingViolation("cto-test", "cto-cp1", "monthly", { ...rule, allowNonHourlyBilling: ["pr-*"] })).toMatch(/must bill hourly/);
  });
});

describe("plan and site allowlists", () => {
  const list = { allowedPlans: ["c2-small-x86"], allowedSites: ["MIA2"] };

  it("passes allowed plans and sites (sites case-insensitively)", () => {
    expect(allowlistViolations("Latitude server cto-cp1", { plan: "c2-small-x86", site: "mia2" }, list)).toEqual([]);
    expect(allowlistViolations("Latitude VLAN cto-vlan", { site: "MIA2" }, list)).toEqual([]);
  });

  it("names the plan or site that is not allowed and the allowed ones", () => {
    expect(allowlistViolations("Latitude server cto-cp1", { plan: "c3-large-x86", site: "FRA" }, list)).toEqual([
      'Latitude server cto-cp1: plan "c3-large-x86" is not allowed; allowed plans: c2-small-x86 (allowedPlans in the policy pack config).',
      'Latitude server cto-cp1: site "FRA" is not allowed; allowed sites: MIA2 (allowedSites in the policy pack config).',
    ]);
    expect(allowlistViolations("Latitude VLAN v", { site: "FRA" }, { allowedPlans: [], allowedSites: [] })).toEqual([
      'Latitude VLAN v: site "FRA" is not allowed; allowed sites: none (allowedSites in the policy pack config).',
    ]);
  });
});

describe("stack tag", () => {
  const expected = "cto-metal-cto-test";
  const server = (overrides: Partial<TaggedResource> = {}): TaggedResource => ({ urn: urn("cto-cp1"), kind: "server", name: "cto-cp1", stackTag: expected, tagIds: ["tag_1"], ...overrides });
  const vlan = (overrides: Partial<TaggedResource> = {}): TaggedResource => ({ urn: urn("cto-vlan"), kind: "VLAN", name: "cto-vlan", tagIds: ["tag_1"], ...overrides });
  const ourTag = { name: expected, tagId: "tag_1" };

  it("passes when servers and VLANs carry the stack's tag, or when nothing is tagged yet at preview", () => {
    expect(stackTagViolations({ expected, tags: [ourTag], members: [server(), vlan({ tagIds: ["tag_0", "tag_1"] })] })).toEqual([]);
    expect(stackTagViolations({ expected, tags: [{ name: expected, tagId: UNKNOWN }], members: [server({ tagIds: UNKNOWN }), vlan({ tagIds: UNKNOWN })] })).toEqual([]);
    expect(stackTagViolations({ expected, tags: [], members: [] })).toEqual([]);
  });

  it("fails a server that names another stack's tag", () => {
    expect(stackTagViolations({ expected, tags: [ourTag], members: [server({ stackTag: "cto-metal-prod" })] })).toEqual([
      { urn: urn("cto-cp1"), message: 'Latitude server cto-cp1: stackTag is "cto-metal-prod", expected "cto-metal-cto-test" (<project>-<stack>).' },
    ]);
  });

  it("fails members with no tag or without the stack's tag id, and a stack without the tag", () => {
    expect(stackTagViolations({ expected, tags: [ourTag], members: [vlan({ tagIds: [] }), server({ tagIds: ["tag_9"] })] }).map((v) => v.message)).toEqual([
      'Latitude VLAN cto-vlan: carries no Latitude tag; it must carry the stack\'s tag "cto-metal-cto-test".',
      'Latitude server cto-cp1: its tags ["tag_9"] do not include the stack\'s tag "cto-metal-cto-test" (tag_1).',
    ]);
    expect(stackTagViolations({ expected, tags: [{ name: "other", tagId: "tag_1" }], members: [server({ tagIds: UNKNOWN })] })).toEqual([
      { message: 'No Latitude tag named "cto-metal-cto-test" in the stack: every server and VLAN must carry the stack\'s tag <project>-<stack>.' },
    ]);
  });
});
