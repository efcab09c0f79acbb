// machine.network.interfaces for a Latitude node: DHCP on the public NIC and, with a private VLAN,
// an 802.1Q sub-interface carrying the node's static VLAN address (and the VIP on control planes).
//
// Talos runs DHCP on every physical NIC only while the config names no link at all: as soon as one
// link is configured (the VLAN's parent) that default is off, and a node whose public NIC is not
// listed loses its public address. So with a VLAN the public NIC must be named and gets `dhcp: true`
// explicitly. On Latitude the VLAN rides on the NIC that has no default gateway; when it is the
// same link as the public one (a bond, say) both go into one entry.

export interface DeviceSelector {
  readonly hardwareAddr?: string;
  readonly busPath?: string;
  readonly driver?: string;
  readonly pciID?: string;
  readonly physical?: boolean;
}

/** A link by name (`eno1`, `bond0`) or by hardware properties. */
export type LinkSelector = { readonly interface: string } | { readonly deviceSelector: DeviceSelector };

export interface VlanArgs {
  /** The NIC the 802.1Q sub-interface rides on (on Latitude: the one without a default gateway). */
  readonly parent: LinkSelector;
  /** The VLAN id (Latitude's `vid`), 1 to 4094. */
  readonly vid: number;
  /** The node's static private address with its prefix, e.g. "10.8.0.23/24". */
  readonly address: string;
  /** The shared Talos VIP; control planes only (Talos refuses a VIP on a worker). */
  readonly vip?: string;
}

export interface NetworkArgs {
  /** The NIC with the default gateway; it always gets DHCP. Required with a VLAN. */
  readonly publicInterface?: LinkSelector;
  readonly vlan?: VlanArgs;
}

export interface VlanEntry {
  readonly vlanId: number;
  readonly addresses: readonly string[];
  readonly vip?: { readonly ip: string };
}

export type InterfaceEntry = ({ readonly interface: string } | { readonly deviceSelector: DeviceSelector }) & {
  readonly dhcp: boolean;
  readonly vlans?: readonly VlanEntry[];
};

export interface NetworkPatch {
  readonly machine: { readonly network: { readonly interfaces: readonly InterfaceEntry[] } };
}

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const SELECTOR_FIELDS = ["hardwareAddr", "busPath", "driver", "pciID", "physical"] as const;

/** The selector with its fields in one fixed order, so the patch text never changes with the caller's key order. */
function canonical(selector: LinkSelector): LinkSelector {
  if ("interface" in selector) {
    if (selector.interface.trim() === "") throw new Error("networkPatch: an interface name must not be empty");
    return { interface: selector.interface };
  }
  const fields = SELECTOR_FIELDS.filter((field) => selector.deviceSelector[field] !== undefined);
  if (fields.length === 0) throw new Error("networkPatch: a deviceSelector needs at least one field (Talos refuses an empty one)");
  return { deviceSelector: Object.fromEntries(fields.map((field) => [field, selector.deviceSelector[field]])) };
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

/**
 * The interfaces patch, or undefined when there is nothing to say (no VLAN and no public NIC named:
 * Talos' default, DHCP on every physical NIC, is then what the node needs).
 */
export function networkPatch(args: NetworkArgs): NetworkPatch | undefined {
  const { vlan } = args;
  if (vlan !== undefined && args.publicInterface === undefined) {
    throw new Error(
      "networkPatch: a VLAN needs the public interface named as well: configuring any link turns off " +
        "Talos' default DHCP on every NIC, and the node would lose its public address",
    );
  }
  if (args.publicInterface === undefined) return undefined;
  const publicLink = canonical(args.publicInterface);
  if (vlan === undefined) return patch([{ ...publicLink, dhcp: true }]);
  const parent = canonical(vlan.parent);
  const vlans = [vlanEntry(vlan)];
  if (JSON.stringify(parent) === JSON.stringify(publicLink)) return patch([{ ...publicLink, dhcp: true, vlans }]);
  return patch([
    { ...publicLink, dhcp: true },
    { ...parent, dhcp: false, vlans },
  ]);
}

function patch(interfaces: readonly InterfaceEntry[]): NetworkPatch {
  return { machine: { network: { interfaces } } };
}
