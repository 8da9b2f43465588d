/**
 * Kubernetes minor versions (`1.31`): parsing, comparison and stepping. kaas tracks minor
 * versions only; the cloud picks the patch release.
 */

/** A parsed `MAJOR.MINOR` version. */
export interface MinorVersion {
  major: number;
  minor: number;
}

const MINOR_VERSION = /^(0|[1-9][0-9]{0,2})\.(0|[1-9][0-9]{0,2})$/;

/** Whether `text` looks like `MAJOR.MINOR` (e.g. `1.31`; not `v1.31`, `1.31.2` or `1.031`). */
export function isMinorVersion(text: string): boolean {
  return MINOR_VERSION.test(text);
}

/** Parses `MAJOR.MINOR`; throws a plain Error on bad input (callers validate first). */
export function parseMinorVersion(text: string): MinorVersion {
  const match = MINOR_VERSION.exec(text);
  if (!match) throw new Error(`not a Kubernetes minor version: "${text}" (expected MAJOR.MINOR like 1.31)`);
  return { major: Number(match[1]), minor: Number(match[2]) };
}

/** Formats a version back to `MAJOR.MINOR`. */
export function formatMinorVersion(v: MinorVersion): string {
  return `${v.major}.${v.minor}`;
}

/** Negative when a < b, 0 when equal, positive when a > b. */
export function compareMinorVersions(a: string, b: string): number {
  const va = parseMinorVersion(a);
  const vb = parseMinorVersion(b);
  return va.major !== vb.major ? va.major - vb.major : va.minor - vb.minor;
}

/**
 * How many minors `newer` is ahead of `older` within one major (negative when behind).
 * Kubernetes has had major 1 forever; a different major is treated as an infinite distance.
 */
export function minorDistance(older: string, newer: string): number {
  const a = parseMinorVersion(older);
  const b = parseMinorVersion(newer);
  if (a.major !== b.major) return b.major > a.major ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
  return b.minor - a.minor;
}

/** The next minor after `version` (`1.31` → `1.32`). */
export function nextMinor(version: string): string {
  const v = parseMinorVersion(version);
  return formatMinorVersion({ major: v.major, minor: v.minor + 1 });
}
