// The VLAN addresses kept in state: the provider's check, as the engine runs it at preview with the
// previous inputs.
import { describe, expect, it } from "vitest";
import { vlanAddressesProvider, type VlanAddressesInputs } from "../providers/cluster/vlanAddresses";

const check = (olds: Partial<VlanAddressesInputs>, news: Omit<VlanAddressesInputs, "providerVersion">) =>
  vlanAddressesProvider.check!(olds as VlanAddressesInputs, { providerVersion: "1", ...news });

describe("VlanAddresses", () => {
  it("keeps each node's address across runs while the list changes around it", async () => {
    const first = await check({}, { subnet: "10.8.0.0/28", nodes: ["cp1", "cp2", "cp3", "w1"] });
    const second = await check(first.inputs!, { subnet: "10.8.0.0/28", nodes: ["w2", "cp3", "cp1", "cp2", "w1"] });
    for (const name of ["cp1", "cp2", "cp3", "w1"]) expect(second.inputs!.addresses![name]).toBe(first.inputs!.addresses![name]);
    expect(Object.keys(second.inputs!.addresses!)).toStrictEqual(["w2", "cp3", "cp1", "cp2", "w1"]);
  });

  it("allocates afresh for a new subnet, and refuses one too small naming the key", async () => {
    const first = await check({}, { subnet: "10.8.0.0/28", nodes: ["a"] });
    const moved = await check(first.inputs!, { subnet: "172.16.4.0/24", nodes: ["a"] });
    expect(moved.inputs!.addresses!["a"]).toMatch(/^172\.16\.4\./);
    expect((await check({}, { subnet: "10.0.0.0/30", nodes: ["a", "b", "c"] })).failures).toEqual([
      { property: "subnet", reason: "cto-metal:vlan: vlan subnet 10.0.0.0/30 has 2 addresses for 3 nodes" },
    ]);
  });
});
