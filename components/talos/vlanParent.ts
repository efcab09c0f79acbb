// Which card of a node carries the private VLAN.
//
// On Latitude the VLAN arrives tagged on the private port, the one without the default gateway
// (../../docs/talos.md, "Network cards"). Latitude names that port only sometimes: the official
// spec's examples list it as role `internal` ("PXE Interface"), but no recorded real answer has the
// `interfaces` attribute at all, one example has it empty, and a link aggregate comes with a null
// MAC. So the config can always say (per node, then per stack); otherwise the `internal` card's MAC
// is used; otherwise the node cannot be configured, and the error says what to set.
import type { VlanParent } from "./networkPatch";

export interface VlanParentChoice {
  /** The node name from `cto-metal:nodes`. */
  readonly node: string;
  /** The Latitude server id, for the error text; undefined before the server exists. */
  readonly serverId?: string;
  /** `nodes[].vlanParent`. */
  readonly nodeSetting?: VlanParent;
  /** `cto-metal:vlan.parent`. */
  readonly stackSetting?: VlanParent;
  /** The MAC of the server's `interfaces` entry with role `internal`, when Latitude lists one. */
  readonly reportedInternalMac?: string | null;
}

export function vlanParent(choice: VlanParentChoice): VlanParent {
  if (choice.nodeSetting) return choice.nodeSetting;
  if (choice.stackSetting) return choice.stackSetting;
  if (choice.reportedInternalMac) return { mac: choice.reportedInternalMac.toLowerCase() };
  const server = choice.serverId ? `server ${choice.serverId}` : "its server";
  throw new Error(
    `node ${choice.node}: cannot tell which network card carries the VLAN: Latitude lists no MAC address with role ` +
      `"internal" for ${server}. Set it in config: cto-metal:vlan.parent for every node, or nodes[].vlanParent for this one ` +
      `(a link name such as "enp1s0f1", a MAC address, or a PCI bus path such as "0000:01:00.1"; ` +
      `\`talosctl get links --insecure -n <public IP>\` lists them while the node is in maintenance mode).`,
  );
}

/**
 * Said at preview, before any server is bought, when some node's VLAN card is left to what Latitude
 * reports: no recorded real answer lists an `internal` card, and without one `pulumi up` stops after
 * the servers exist (they stay in state, and the next `up` continues once the config names the card).
 */
export function vlanParentWarning(args: { readonly stackSetting?: VlanParent; readonly nodes: readonly { readonly name: string; readonly vlanParent?: VlanParent }[] }): string | undefined {
  if (args.stackSetting) return undefined;
  const unset = args.nodes.filter((node) => node.vlanParent === undefined).map((node) => node.name);
  if (unset.length === 0) return undefined;
  return (
    `cto-metal:vlan: the network card the VLAN is tagged on is not set for ${unset.join(", ")}, so it is taken from the MAC ` +
    `Latitude lists with role "internal", which Latitude does not always report; if it does not, \`pulumi up\` stops after ` +
    `buying the servers. Set cto-metal:vlan.parent (e.g. "enp1s0f1" on two-port plans) to be sure.`
  );
}
