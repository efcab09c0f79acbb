// Every deviation is alive: its example is refused by the spec alone and accepted with that one
// entry, which the oracle reports as used. A deviation the spec no longer needs fails here.
import { describe, expect, it } from "vitest";
import { DEVIATIONS } from "./deviations";
import { Oracle, pointerMatches, templateMatches } from "./oracle";
import { specAvailable, specIndex } from "./specForTests";

describe("the deviation list", () => {
  it("has unique ids, and each entry says what differs and cites its evidence", () => {
    expect(new Set(DEVIATIONS.map((d) => d.id)).size).toBe(DEVIATIONS.length);
    for (const d of DEVIATIONS) {
      expect(d.differs.length, d.id).toBeGreaterThan(20);
      expect(d.evidence, d.id).toMatch(/latitude-api\.md §\d+|the spec's own/);
    }
  });
});

describe.skipIf(!specAvailable)("each deviation against the official spec", () => {
  it.each(DEVIATIONS.map((d) => [d.id, d] as const))("%s: the spec refuses its example, the entry accepts it", (_id, d) => {
    const alone = new Oracle(specIndex(), []).check(d.example);
    expect(alone.findings.length, `${d.id}: the spec accepts its example, so the deviation is dead`).toBeGreaterThan(0);
    const pointer = d.pointer;
    if (pointer !== undefined) expect(alone.findings.some((f) => f.place === d.place && pointerMatches(pointer, f.pointer)), `${d.id}: the spec's complaint is not at ${pointer}`).toBe(true);
    expect(new Oracle(specIndex(), [d]).check(d.example)).toEqual({ findings: [], used: [d.id] });
  });

  it.each(DEVIATIONS.map((d) => [d.id, d] as const))("%s: names operations as the spec does (or one it lacks, for an operation deviation)", (_id, d) => {
    for (const key of d.operations === "*" ? [] : d.operations) {
      const [method = "", template = ""] = key.split(" ");
      const found = specIndex().findOperation(method, template.replace(/\{[^}]+\}/g, "x"));
      if (d.place === "operation") expect(found, key).toBeUndefined();
      else expect(found?.key, key).toBe(key);
    }
    if (d.operations !== "*") expect(d.operations.some((k) => templateMatches(k, d.example.method, d.example.path))).toBe(true);
  });
});
