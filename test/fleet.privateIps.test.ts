import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { allocatePrivateIps } from "../config/privateIps";

describe("allocatePrivateIps", () => {
  it("keeps every other node's address when a node is removed or inserted", () => {
    const before = allocatePrivateIps("10.8.0.0/24", ["cp1", "cp2", "cp3", "w1"]);
    const after = allocatePrivateIps("10.8.0.0/24", ["cp1", "cp3", "w1", "w2"]);
    for (const name of ["cp1", "cp3", "w1"]) expect(after.get(name)).toBe(before.get(name));
  });

  it("keeps the first nine addresses free for a gateway and the VIP", () => {
    const ips = allocatePrivateIps("10.8.0.0/24", ["a", "b", "c"]);
    for (const ip of ips.values()) expect(Number(ip.split(".")[3])).toBeGreaterThanOrEqual(10);
  });

  it("gives unique addresses inside the subnet for any set of names (property)", () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.string({ minLength: 1, maxLength: 12 }), { minLength: 1, maxLength: 50 }), (names) => {
        const ips = allocatePrivateIps("192.168.4.0/26", names);
        const values = [...ips.values()];
        return (
          ips.size === names.length &&
          new Set(values).size === values.length &&
          values.every((ip) => {
            const host = Number(ip.split(".")[3]);
            return ip.startsWith("192.168.4.") && host >= 1 && host <= 62;
          })
        );
      }),
    );
  });

  it("keeps every address it gave when the list changes around it: a fifth node in a /28 renumbers nobody", () => {
    const before = allocatePrivateIps("10.8.0.0/28", ["cp1", "cp2", "cp3", "w1"]);
    const after = allocatePrivateIps("10.8.0.0/28", ["cp1", "cp2", "cp3", "w1", "w2"], before);
    for (const name of ["cp1", "cp2", "cp3", "w1"]) expect(after.get(name)).toBe(before.get(name));
    expect(new Set(after.values()).size).toBe(5);
  });

  it("keeps given addresses whatever nodes come and go, in any order (property)", () => {
    const names = fc.uniqueArray(fc.constantFrom(...Array.from({ length: 12 }, (_, i) => `n${i}`)), { minLength: 1, maxLength: 12 });
    fc.assert(
      fc.property(names, names, (first, second) => {
        const before = allocatePrivateIps("10.8.0.0/28", first);
        const after = allocatePrivateIps("10.8.0.0/28", second, before);
        for (const name of second) if (before.has(name)) expect(after.get(name)).toBe(before.get(name));
        expect(new Set(after.values()).size).toBe(second.length);
      }),
    );
  });

  it("refuses a subnet too small for the nodes", () => {
    expect(() => allocatePrivateIps("10.0.0.0/30", ["a", "b", "c"])).toThrow("vlan subnet 10.0.0.0/30 has 2 addresses for 3 nodes");
  });
});
