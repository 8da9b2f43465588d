/** Small IPv4 CIDR arithmetic for carving subnets out of a VPC / network range. */

function toInt(ip: string): number {
  const parts = ip.split('.').map(Number);
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) {
    throw new Error(`not an IPv4 address: ${ip}`);
  }
  return parts.reduce((acc, p) => acc * 256 + p, 0);
}

function toIp(n: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join('.');
}

/** The `index`-th subnet of `cidr` that is `extraBits` longer (e.g. /16 + 4 → the index-th /20). */
export function subnetCidr(cidr: string, extraBits: number, index: number): string {
  const [ip, prefixText] = cidr.split('/');
  const prefix = Number(prefixText);
  const newPrefix = prefix + extraBits;
  if (!ip || !Number.isInteger(prefix) || newPrefix > 28 || index >= 2 ** extraBits) {
    throw new Error(`cannot carve subnet ${index} of /${newPrefix} out of ${cidr}`);
  }
  const size = 2 ** (32 - newPrefix);
  const base = toInt(ip) - (toInt(ip) % 2 ** (32 - prefix));
  return `${toIp(base + index * size)}/${newPrefix}`;
}
