// Private VLAN addresses for nodes, by name, not by position: removing or inserting a node must not
// move the others (their Talos configs carry the address). Each name hashes to a slot; a taken
// slot probes forward, in config order, so the allocation is deterministic.
import { formatIpv4, parseIpv4Cidr } from "../../config/cidr";

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

export function allocatePrivateIps(subnet: string, nodeNames: readonly string[]): Map<string, string> {
  const parsed = parseIpv4Cidr(subnet);
  if (!parsed.ok) throw new Error(`vlan subnet: expected ${parsed.expected}, got ${JSON.stringify(subnet)}`);
  const { network, usable } = parsed.cidr;
  const reserved = usable > RESERVED_HOSTS + nodeNames.length ? RESERVED_HOSTS : 0;
  const slots = usable - reserved;
  if (nodeNames.length > slots) throw new Error(`vlan subnet ${subnet} has ${slots} addresses for ${nodeNames.length} nodes`);
  const taken = new Set<number>();
  const result = new Map<string, string>();
  for (const name of nodeNames) {
    let slot = fnv1a(name) % slots;
    while (taken.has(slot)) slot = (slot + 1) % slots;
    taken.add(slot);
    // host numbers start at 1 (the network address is not usable)
    result.set(name, formatIpv4((network + 1 + reserved + slot) >>> 0));
  }
  return result;
}
