// The private VLAN of a Latitude node in Talos: an 802.1Q sub-interface of the card the VLAN is
// tagged on, with the node's static VLAN address (and the shared VIP on control planes).
//
// Only the VLAN's parent card is named. Talos keeps its default (DHCP on every physical link) for
// the links the config leaves alone, so the public card keeps its DHCP address without being named:
// its MAC is in no answer Latitude is known to give (../../docs/talos.md, "Network cards").
//
// Why the deprecated v1alpha1 `machine.network.interfaces` and not the VLANConfig document: in
// Talos 1.13 any link document (VLANConfig, LinkConfig, BondConfig...) or DHCP document switches
// the default DHCP off on every link (pkg/machinery@v1.13.0 config/container/container.go,
// RunDefaultDHCPOperators), so the public card would have to be named, and it cannot be. A link
// named in v1alpha1 only leaves that link out of the default (internal/app/machined/pkg/controllers/
// network/operator_config.go, configuredInterfaces). The VIP stays inside the VLAN entry for the
// same reason: a Layer2VIPConfig document needs the VLAN link's name, which depends on the card.

import { LINK_NAME, MAC_ADDRESS, PCI_BUS_PATH } from "../../config/talosNames";
import type { VlanParent } from "../../config/types";

export type { VlanParent } from "../../config/types";

export interface VlanArgs {
  readonly parent: VlanParent;
  /** The VLAN id (Latitude's `vid`), 1 to 4094. */
  readonly vid: number;
  /** The node's static private address with its prefix, e.g. "10.8.0.23/24". */
  readonly address: string;
  /** The shared Talos VIP; control planes only (Talos refuses a VIP on a worker). */
  readonly vip?: string;
  /**
   * DHCP on the parent's untagged traffic: only when the VLAN rides on the public card, which would
   * otherwise lose its address. The private card's untagged network is Latitude's own.
   */
  readonly parentDhcp?: boolean;
}

/** Talos' device selector, limited to what a VLAN parent needs. */
export interface DeviceSelector {
  readonly hardwareAddr?: string;
  readonly busPath?: string;
  /** Always true: a VLAN link inherits its parent's MAC, and without it the selector would match `<card>.<vid>` too. */
  readonly physical: true;
}

export interface VlanEntry {
  readonly vlanId: number;
  readonly addresses: readonly string[];
  readonly vip?: { readonly ip: string };
}

export type InterfaceEntry = ({ readonly interface: string } | { readonly deviceSelector: DeviceSelector }) & {
  readonly dhcp: boolean;
  readonly vlans: readonly VlanEntry[];
};

export interface NetworkPatch {
  readonly machine: { readonly network: { readonly interfaces: readonly InterfaceEntry[] } };
}

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

/** How the parent is written in the entry. */
function parentLink(parent: VlanParent): { interface: string } | { deviceSelector: DeviceSelector } {
  if ("interface" in parent) {
    if (!LINK_NAME.test(parent.interface)) throw new Error(`networkPatch: expected a link name such as "enp1s0f1", got ${JSON.stringify(parent.interface)}`);
    return { interface: parent.interface };
  }
  if ("mac" in parent) {
    if (!MAC_ADDRESS.test(parent.mac)) throw new Error(`networkPatch: expected a MAC address such as "0c:c4:7a:00:00:75", got ${JSON.stringify(parent.mac)}`);
    // Talos compares with the link's address as Go prints it: lower case.
    return { deviceSelector: { hardwareAddr: parent.mac.toLowerCase(), physical: true } };
  }
  if (!PCI_BUS_PATH.test(parent.busPath)) throw new Error(`networkPatch: expected a PCI bus path such as "0000:01:00.1", got ${JSON.stringify(parent.busPath)}`);
  return { deviceSelector: { busPath: parent.busPath.toLowerCase(), physical: true } };
}

function vlanEntry(vlan: VlanArgs): VlanEntry {
  if (!Number.isInteger(vlan.vid) || vlan.vid < 1 || vlan.vid > 4094) {
    throw new Error(`networkPatch: expected a VLAN id from 1 to 4094, got ${vlan.vid}`);
  }
  const [ip, prefix, ...rest] = vlan.address.split("/");
  if (rest.length > 0 || ip === undefined || !IPV4.test(ip) || !/^([89]|[12]\d|30)$/.test(prefix ?? "")) {
    throw new Error(`networkPatch: expected the VLAN address as an IPv4 CIDR such as "10.8.0.23/24", got ${JSON.stringify(vlan.address)}`);
  }
  if (vlan.vip !== undefined && !IPV4.test(vlan.vip)) {
    throw new Error(`networkPatch: expected the VIP as an IPv4 address, got ${JSON.stringify(vlan.vip)}`);
  }
  return { vlanId: vlan.vid, addresses: [vlan.address], ...(vlan.vip !== undefined && { vip: { ip: vlan.vip } }) };
}

/** The interfaces patch of a node on the private VLAN. Nodes without a VLAN get no network patch. */
export function networkPatch(vlan: VlanArgs): NetworkPatch {
  return { machine: { network: { interfaces: [{ ...parentLink(vlan.parent), dhcp: vlan.parentDhcp ?? false, vlans: [vlanEntry(vlan)] }] } } };
}
