// Private VLAN addresses for nodes, by name, not by position: removing or inserting a node must not
// move the others (their Talos configs carry the address). Each new name hashes to a slot; a taken
// slot probes forward, in config order, so the allocation is deterministic; addresses given before
// are kept (the previous allocation comes from state).
import { formatIpv4, parseIpv4, parseIpv4Cidr } from "./cidr";

/** The first addresses of the subnet stay free for a gateway and the Talos VIP. */
export const RESERVED_HOSTS = 9;

function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

/**
 * One address per node name. `previous` is what the stack gave before (kept in state by the
 * VlanAddresses resource): every node that had an address keeps it, whatever else changed in the
 * list, so no node's Talos config changes because another node came or went. New nodes hash to a
 * slot and probe forward past taken ones.
 */
export function allocatePrivateIps(subnet: string, nodeNames: readonly string[], previous?: ReadonlyMap<string, string>): Map<string, string> {
  const parsed = parseIpv4Cidr(subnet);
  if (!parsed.ok) throw new Error(`vlan subnet: expected ${parsed.expected}, got ${JSON.stringify(subnet)}`);
  const { network, usable } = parsed.cidr;
  const reserved = usable > RESERVED_HOSTS + nodeNames.length ? RESERVED_HOSTS : 0;
  const slots = usable - reserved;
  if (nodeNames.length > slots) throw new Error(`vlan subnet ${subnet} has ${slots} addresses for ${nodeNames.length} nodes`);
  // Host numbers start at 1 (the network address is not usable); a slot is a host number here.
  const hostOf = (address: string | undefined): number | undefined => {
    const host = address === undefined ? undefined : parseIpv4(address);
    return host !== undefined && host > network && host <= network + usable ? host - network : undefined;
  };
  const taken = new Set<number>();
  const result = new Map<string, string>();
  for (const name of nodeNames) {
    const host = hostOf(previous?.get(name));
    if (host === undefined || taken.has(host)) continue;
    taken.add(host);
    result.set(name, formatIpv4((network + host) >>> 0));
  }
  for (const name of nodeNames) {
    if (result.has(name)) continue;
    let slot = fnv1a(name) % slots;
    while (taken.has(1 + reserved + slot)) slot = (slot + 1) % slots;
    taken.add(1 + reserved + slot);
    result.set(name, formatIpv4((network + 1 + reserved + slot) >>> 0));
  }
  return new Map(nodeNames.map((name) => [name, result.get(name)!]));
}
