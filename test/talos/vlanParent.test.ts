// Tier 1: which card carries a node's VLAN, and what is said when nothing tells.
import { describe, expect, it } from "vitest";
import { vlanParent, vlanParentWarning } from "../../components/talos/vlanParent";

describe("vlanParent", () => {
  it("takes the node's setting, then the stack's, then Latitude's internal card", () => {
    const node = { interface: "eno2" };
    const stack = { busPath: "0000:01:00.1" };
    expect(vlanParent({ node: "n1", nodeSetting: node, stackSetting: stack, reportedInternalMac: "0C:C4:7A:00:00:75" })).toBe(node);
    expect(vlanParent({ node: "n1", stackSetting: stack, reportedInternalMac: "0C:C4:7A:00:00:75" })).toBe(stack);
    expect(vlanParent({ node: "n1", reportedInternalMac: "0C:C4:7A:00:00:75" })).toStrictEqual({ mac: "0c:c4:7a:00:00:75" });
  });

  it("names the node, the server and the keys to set when nothing tells", () => {
    expect(() => vlanParent({ node: "w2", serverId: "sv_8Mk2", reportedInternalMac: null })).toThrow(
      'node w2: cannot tell which network card carries the VLAN: Latitude lists no MAC address with role "internal" for server sv_8Mk2. ' +
        "Set it in config: cto-metal:vlan.parent for every node, or nodes[].vlanParent for this one",
    );
  });
});

describe("vlanParentWarning", () => {
  it("warns at preview for the nodes whose card is left to Latitude", () => {
    expect(vlanParentWarning({ nodes: [{ name: "cp1", vlanParent: { interface: "eno2" } }, { name: "w1" }] })).toMatch(
      /^cto-metal:vlan: the network card the VLAN is tagged on is not set for w1, .* Set cto-metal:vlan.parent/,
    );
  });

  it("says nothing when the config names every card", () => {
    expect(vlanParentWarning({ stackSetting: { interface: "eno2" }, nodes: [{ name: "cp1" }] })).toBeUndefined();
    expect(vlanParentWarning({ nodes: [{ name: "cp1", vlanParent: { mac: "0c:c4:7a:00:00:75" } }] })).toBeUndefined();
  });
});
