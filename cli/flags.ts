/**
 * Parsing of repeatable flags: `--set path=value` (checked with the platform's own parser, so a bad
 * flag fails before any request) and `--label key=value`.
 */
import { isDomainError } from '../platform/errors.ts';
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

const LABEL_KEY = /^[A-Za-z0-9]([A-Za-z0-9._/-]{0,61}[A-Za-z0-9])?$/;

/** `--label key=value` flags as a record; a key given twice, or without "=", is an error. */
export function parseLabels(flags: readonly string[]): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const flag of flags) {
    const eq = flag.indexOf('=');
    const key = eq < 0 ? flag : flag.slice(0, eq);
    const value = eq < 0 ? '' : flag.slice(eq + 1);
    const problem =
      eq < 0 ? 'must look like key=value' : !LABEL_KEY.test(key) ? `key "${key}" must be 1-63 letters, digits, ".", "_", "-" or "/", starting and ending with a letter or digit` : value.length > 63 ? 'the value must be at most 63 characters' : Object.hasOwn(labels, key) ? `key "${key}" was given more than once` : undefined;
    if (problem) throw new CliError('VALIDATION', `--label "${flag}": ${problem}`, EXIT.USAGE, { hint: 'example: --label env=dev', issues: [{ path: `labels.${key}`, message: problem }] });
    labels[key] = value;
  }
  return labels;
}
