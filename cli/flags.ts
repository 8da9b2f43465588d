/**
 * Parsing of repeatable flags: `--set path=value` (checked with the platform's own parser, so a bad
 * flag fails before any request) and `--label key=value`.
 */
import { isDomainError } from '../platform/errors.ts';
import { labelCountProblem, labelProblem } from '../platform/label-syntax.ts';
import { setFlagsToOverrides } from '../platform/set-flag.ts';
import { CliError } from './errors.ts';
import { EXIT } from './exit-codes.ts';

/** Commander collector for repeatable flags. */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** Checks `--set` flags and returns them unchanged (the API takes the raw strings). */
export function parseSetFlags(flags: readonly string[]): string[] {
  try {
    setFlagsToOverrides(flags);
  } catch (err) {
    if (isDomainError(err)) throw new CliError('VALIDATION', err.message, EXIT.USAGE, { hint: err.hint });
    throw err;
  }
  return [...flags];
}

/**
 * `--label key=value` flags as a record, checked with the platform's label rule; a key given
 * twice, or without "=", is an error.
 */
export function parseLabels(flags: readonly string[]): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const flag of flags) {
    const eq = flag.indexOf('=');
    const key = eq < 0 ? flag : flag.slice(0, eq);
    const value = eq < 0 ? '' : flag.slice(eq + 1);
    const problem = eq < 0 ? 'must look like key=value' : (labelProblem(key, value) ?? (Object.hasOwn(labels, key) ? `key "${key}" was given more than once` : undefined));
    if (problem) throw new CliError('VALIDATION', `--label "${flag}": ${problem}`, EXIT.USAGE, { hint: 'example: --label env=dev', issues: [{ path: `labels.${key}`, message: problem }] });
    labels[key] = value;
  }
  const countProblem = labelCountProblem(Object.keys(labels).length);
  if (countProblem) throw new CliError('VALIDATION', `--label: ${countProblem}`, EXIT.USAGE, { issues: [{ path: 'labels', message: countProblem }] });
  return labels;
}

const DURATION_UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/**
 * A `--timeout` duration like kubectl's (Go's time.ParseDuration units ms, s, m, h, combinable:
 * `90s`, `5m`, `1h30m`), in milliseconds; anything else is a usage error naming the flag.
 */
export function parseDuration(flag: string, text: string): number {
  const parts = [...text.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)];
  const total = parts.reduce((sum, [, n, unit]) => sum + Number(n) * DURATION_UNITS[unit!]!, 0);
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== text || !(total > 0)) {
    throw new CliError('VALIDATION', `${flag} "${text}" is not a duration`, EXIT.USAGE, { hint: `examples: ${flag} 30s, ${flag} 5m, ${flag} 1h30m` });
  }
  return Math.round(total);
}
