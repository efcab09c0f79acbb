import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { assignRoles, defaultControlPlaneCount, type RoleInput } from "../config/roles";

const names = (n: number): RoleInput[] => Array.from({ length: n }, (_, i) => ({ name: `n${i}` }));
const roles = (nodes: RoleInput[]) => assignRoles(nodes).map((node) => node.role);

describe("assignRoles", () => {
  it("follows the position rule", () => {
    expect(roles(names(1))).toEqual(["controlplane"]);
    expect(roles(names(2))).toEqual(["controlplane", "worker"]);
    expect(roles(names(3))).toEqual(["controlplane", "controlplane", "controlplane"]);
    expect(roles(names(5))).toEqual(["controlplane", "controlplane", "controlplane", "worker", "worker"]);
  });

  it("lets an explicit role win", () => {
    expect(roles([{ name: "a", role: "worker" }, { name: "b", role: "controlplane" }])).toEqual(["worker", "controlplane"]);
    // once any node has a role, the others are workers, whatever their position
    expect(roles([{ name: "a" }, { name: "b" }, { name: "c", role: "worker" }, { name: "d", role: "controlplane" }])).toEqual([
      "worker",
      "worker",
      "worker",
      "controlplane",
    ]);
  });

  it("makes a node without a role a worker as soon as any node has an explicit role (cto-test + {name: worker2})", () => {
    expect(roles([{ name: "cp1", role: "controlplane" }, { name: "worker1", role: "worker" }, { name: "worker2" }])).toEqual(["controlplane", "worker", "worker"]);
    expect(roles([{ name: "a", role: "worker" }, { name: "b" }, { name: "c", role: "controlplane" }])).toEqual(["worker", "worker", "controlplane"]);
  });

  it("refuses a list without a control plane, naming the key", () => {
    expect(() => roles([{ name: "a", role: "worker" }, { name: "b" }])).toThrow(
      'cto-metal:nodes: no node is a control plane (a node without a role is a worker once any node has one); give one of them "role": "controlplane"',
    );
  });

  it("keeps its invariants for any node list (property)", () => {
    const node = fc.record({ name: fc.string(), role: fc.option(fc.constantFrom("controlplane" as const, "worker" as const), { nil: undefined }) });
    fc.assert(
      fc.property(fc.array(node, { minLength: 1, maxLength: 60 }), (nodes) => {
        let assigned;
        try {
          assigned = assignRoles(nodes);
        } catch {
          // only a list with roles and no explicit control plane is refused
          return nodes.some((n) => n.role !== undefined) && !nodes.some((n) => n.role === "controlplane");
        }
        const defaults = defaultControlPlaneCount(nodes.length);
        const positional = nodes.every((n) => n.role === undefined);
        return (
          assigned.length === nodes.length &&
          assigned.some((n) => n.role === "controlplane") &&
          assigned.every((n, i) => n.name === nodes[i]!.name && n.role === (nodes[i]!.role ?? (positional && i < defaults ? "controlplane" : "worker")))
        );
      }),
    );
  });

  it("gives a list without explicit roles 1 or 3 control planes, never an even number (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 60 }), (n) => {
        const count = roles(names(n)).filter((r) => r === "controlplane").length;
        return count === (n <= 2 ? 1 : 3);
      }),
    );
  });
});
