// Tier 1: machine.network.interfaces for the public NIC and the private VLAN.
import { describe, expect, it } from "vitest";
import { networkPatch } from "../../components/talos/networkPatch";

describe("networkPatch", () => {
  it("says nothing without a VLAN or a named public NIC (Talos already runs DHCP on every NIC)", () => {
    expect(networkPatch({})).toBeUndefined();
  });

  it("runs DHCP on a named public NIC", () => {
    expect(networkPatch({ publicInterface: { interface: "eno1" } })).toStrictEqual({
      machine: { network: { interfaces: [{ interface: "eno1", dhcp: true }] } },
    });
  });

  it("puts the VLAN on the NIC without a gateway and keeps DHCP on the public one", () => {
    expect(
      networkPatch({
        publicInterface: { deviceSelector: { hardwareAddr: "0c:42:a1:00:00:01" } },
        vlan: { parent: { deviceSelector: { physical: true, busPath: "0000:41:00.1" } }, vid: 2012, address: "10.8.0.23/24" },
      }),
    ).toStrictEqual({
      machine: {
        network: {
          interfaces: [
            { deviceSelector: { hardwareAddr: "0c:42:a1:00:00:01" }, dhcp: true },
            // Selector fields in one fixed order, whatever order the caller used.
            { deviceSelector: { busPath: "0000:41:00.1", physical: true }, dhcp: false, vlans: [{ vlanId: 2012, addresses: ["10.8.0.23/24"] }] },
          ],
        },
      },
    });
  });

  it("uses one entry when the VLAN rides on the public link itself, with the VIP", () => {
    expect(
      networkPatch({
        publicInterface: { interface: "bond0" },
        vlan: { parent: { interface: "bond0" }, vid: 100, address: "192.168.16.12/20", vip: "192.168.16.1" },
      }),
    ).toStrictEqual({
      machine: {
        network: {
          interfaces: [{ interface: "bond0", dhcp: true, vlans: [{ vlanId: 100, addresses: ["192.168.16.12/20"], vip: { ip: "192.168.16.1" } }] }],
        },
      },
    });
  });

  it("refuses a VLAN without the public NIC, which would lose its public address", () => {
    expect(() => networkPatch({ vlan: { parent: { interface: "eno2" }, vid: 2012, address: "10.8.0.23/24" } })).toThrow(
      "networkPatch: a VLAN needs the public interface named as well",
    );
  });

  it("refuses bad VLAN ids, addresses, VIPs and selectors", () => {
    const publicInterface = { interface: "eno1" };
    const parent = { interface: "eno2" };
    expect(() => networkPatch({ publicInterface, vlan: { parent, vid: 4095, address: "10.8.0.2/24" } })).toThrow(
      "networkPatch: expected a VLAN id from 1 to 4094, got 4095",
    );
    expect(() => networkPatch({ publicInterface, vlan: { parent, vid: 10, address: "10.8.0.2" } })).toThrow(
      'networkPatch: expected the VLAN address as an IPv4 CIDR such as "10.8.0.23/24", got "10.8.0.2"',
    );
    expect(() => networkPatch({ publicInterface, vlan: { parent, vid: 10, address: "10.8.0.2/24", vip: "10.8.0.1/24" } })).toThrow(
      'networkPatch: expected the VIP as an IPv4 address, got "10.8.0.1/24"',
    );
    expect(() => networkPatch({ publicInterface: { deviceSelector: {} } })).toThrow(
      "networkPatch: a deviceSelector needs at least one field (Talos refuses an empty one)",
    );
    expect(() => networkPatch({ publicInterface: { interface: " " } })).toThrow("networkPatch: an interface name must not be empty");
  });
});
