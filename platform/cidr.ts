/**
 * A tiny IPv4 CIDR validator (no dependency): `10.0.0.0/16`, `203.0.113.7/32`.
 * Pure and strict: four decimal octets 0..255 without leading zeros, a prefix 0..32, and no
 * host bits set beyond the prefix (so `10.0.0.1/16` is refused: it is ambiguous).
 */

/** A parsed IPv4 CIDR block. */
export interface Ipv4Cidr {
  /** The network address as an unsigned 32-bit number. */
  address: number;
  prefix: number;
}

const OCTET = /^(0|[1-9][0-9]{0,2})$/;
const PREFIX = /^(0|[1-9][0-9]?)$/;

/** Parses an IPv4 CIDR; returns the reason it is invalid as a string instead of throwing. */
export function parseIpv4Cidr(text: string): Ipv4Cidr | string {
  const slash = text.split('/');
  if (slash.length !== 2) return 'must be an IPv4 CIDR like 10.0.0.0/16';
  const [ip = '', prefixText = ''] = slash;
  const octets = ip.split('.');
  if (octets.length !== 4 || !octets.every((o) => OCTET.test(o) && Number(o) <= 255)) {
    return 'must be an IPv4 CIDR like 10.0.0.0/16 (four octets 0-255)';
  }
  if (!PREFIX.test(prefixText) || Number(prefixText) > 32) return 'prefix length must be 0..32';
  const prefix = Number(prefixText);
  const address = octets.reduce((acc, o) => acc * 256 + Number(o), 0);
  const hostBits = 2 ** (32 - prefix);
  if (address % hostBits !== 0) return `has host bits set; did you mean ${formatIpv4(address - (address % hostBits))}/${prefix}?`;
  return { address, prefix };
}

/** Whether `text` is a valid IPv4 CIDR block. */
export function isIpv4Cidr(text: string): boolean {
  return typeof parseIpv4Cidr(text) !== 'string';
}

function formatIpv4(address: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(address / 2 ** shift) % 256).join('.');
}

/** Whether every address of CIDR `inner` lies inside CIDR `outer` (both valid IPv4 CIDRs). */
export function cidrContains(outer: Ipv4Cidr, inner: Ipv4Cidr): boolean {
  if (inner.prefix < outer.prefix) return false;
  const size = 2 ** (32 - outer.prefix);
  return Math.floor(inner.address / size) === Math.floor(outer.address / size);
}
