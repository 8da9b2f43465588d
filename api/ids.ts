/** Server-generated identifiers: short, random, URL- and stack-name-safe. */
import crypto from 'node:crypto';

const ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyz';

/** A random id such as `c7k2m9x0p4qz` with a one-letter kind prefix. */
export function newId(prefix: 'c' | 'o' | 't' | 'g' | 'k' | 'm' | 'f' | 's' | 'e' | 'a' | 'w' | 'd' | 'p' | 'r'): string {
  const bytes = crypto.randomBytes(12);
  let out = prefix;
  for (const b of bytes) out += ALPHABET[b % ALPHABET.length];
  return out;
}

/** The Pulumi stack name of a cluster: derived from its id only, never from user text. */
export function stackNameFor(clusterId: string): string {
  return `kaas-${clusterId}`;
}
