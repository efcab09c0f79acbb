// Strict IPv4 CIDR parsing for the private VLAN subnet: a sloppy value (host bits set, a /31)
// would otherwise surface much later as a Talos network config that never comes up.

export interface Ipv4Cidr {
  /** Network address as an unsigned 32-bit integer. */
  readonly network: number;
  readonly prefix: number;
  /** Addresses left after the network and broadcast addresses. */
  readonly usable: number;
}

export type CidrResult = { ok: true; cidr: Ipv4Cidr } | { ok: false; expected: string };

export const MIN_SUBNET_PREFIX = 8;
export const MAX_SUBNET_PREFIX = 30;

const CIDR_PATTERN = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;
// Leading zeros are refused: some tools read them as octal.
const DECIMAL = /^(0|[1-9]\d*)$/;

export function formatIpv4(address: number): string {
  return [24, 16, 8, 0].map((shift) => (address >>> shift) & 255).join(".");
}

/** A dotted IPv4 address (no leading zeros) as an unsigned 32-bit integer, or undefined. */
export function parseIpv4(text: string): number | undefined {
  const parts = text.split(".");
  if (parts.length !== 4 || !parts.every((part) => DECIMAL.test(part) && Number(part) <= 255)) return undefined;
  return parts.reduce((address, part) => ((address << 8) | Number(part)) >>> 0, 0);
}

export function parseIpv4Cidr(text: string): CidrResult {
  const match = CIDR_PATTERN.exec(text);
  if (!match) return { ok: false, expected: 'an IPv4 CIDR such as "10.8.0.0/24"' };
  const parts = match.slice(1);
  if (!parts.every((p) => DECIMAL.test(p))) {
    return { ok: false, expected: "an IPv4 CIDR without leading zeros" };
  }
  const [a, b, c, d, p] = parts.map(Number) as [number, number, number, number, number];
  if ([a, b, c, d].some((octet) => octet > 255)) {
    return { ok: false, expected: "an IPv4 CIDR with octets from 0 to 255" };
  }
  if (p < MIN_SUBNET_PREFIX || p > MAX_SUBNET_PREFIX) {
    return { ok: false, expected: `a prefix length from /${MIN_SUBNET_PREFIX} to /${MAX_SUBNET_PREFIX}` };
  }
  const address = parseIpv4(text.slice(0, text.indexOf("/")))!; // valid: checked above
  const mask = (0xffffffff << (32 - p)) >>> 0;
  const network = (address & mask) >>> 0;
  if (network !== address) {
    return { ok: false, expected: `the network address "${formatIpv4(network)}/${p}" (host bits zero)` };
  }
  return { ok: true, cidr: { network, prefix: p, usable: 2 ** (32 - p) - 2 } };
}
