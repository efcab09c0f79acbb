// Tier 1: the VLAN entry of machine.network.interfaces, on the card the VLAN is tagged on.
// Whether Talos accepts it is judged by Talos itself in talosValidator.test.ts.
import { describe, expect, it } from "vitest";
import { networkPatch } from "../../components/talos/networkPatch";

const vlan = { vid: 2012, address: "10.8.0.23/24" };

describe("networkPatch", () => {
  it("names only the VLAN's parent card, so Talos keeps DHCP on the public card it cannot name", () => {
    expect(networkPatch({ ...vlan, parent: { interface: "enp1s0f1" } })).toStrictEqual({
      machine: { network: { interfaces: [{ interface: "enp1s0f1", dhcp: false, vlans: [{ vlanId: 2012, addresses: ["10.8.0.23/24"] }] }] } },
    });
  });

  it("selects a card by MAC among physical links only (a VLAN link inherits its parent's MAC)", () => {
    expect(networkPatch({ ...vlan, parent: { mac: "0C:C4:7A:00:00:75" }, vip: "10.8.0.1" }).machine.network.interfaces).toStrictEqual([
      {
        deviceSelector: { hardwareAddr: "0c:c4:7a:00:00:75", physical: true },
        dhcp: false,
        vlans: [{ vlanId: 2012, addresses: ["10.8.0.23/24"], vip: { ip: "10.8.0.1" } }],
      },
    ]);
  });

  it("selects a card by PCI bus path", () => {
    expect(networkPatch({ ...vlan, parent: { busPath: "0000:41:00.1" } }).machine.network.interfaces[0]).toMatchObject({
      deviceSelector: { busPath: "0000:41:00.1", physical: true },
    });
  });

  it("refuses bad VLAN ids, addresses, VIPs and parents", () => {
    const parent = { interface: "eno2" };
    expect(() => networkPatch({ parent, vid: 4095, address: "10.8.0.2/24" })).toThrow("networkPatch: expected a VLAN id from 1 to 4094, got 4095");
    expect(() => networkPatch({ parent, vid: 10, address: "10.8.0.2" })).toThrow(
      'networkPatch: expected the VLAN address as an IPv4 CIDR such as "10.8.0.23/24", got "10.8.0.2"',
    );
    expect(() => networkPatch({ parent, vid: 10, address: "10.8.0.2/24", vip: "10.8.0.1/24" })).toThrow(
      'networkPatch: expected the VIP as an IPv4 address, got "10.8.0.1/24"',
    );
    expect(() => networkPatch({ ...vlan, parent: { interface: "a-name-longer-than-15" } })).toThrow('expected a link name such as "enp1s0f1"');
    expect(() => networkPatch({ ...vlan, parent: { mac: "0c:c4:7a:00:00" } })).toThrow("expected a MAC address");
    expect(() => networkPatch({ ...vlan, parent: { busPath: "41:00.1" } })).toThrow("expected a PCI bus path");
  });
});
