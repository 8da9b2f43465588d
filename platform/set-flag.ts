/** Parsing of the CLI's `--set path=value` flags into override entries. */
import { validationError } from './errors.ts';
import { forbiddenKeyIssue, forbiddenSegment, nullProtoRecord } from './safe-keys.ts';

/** One `--set` flag: a dotted path and the raw value text. */
export interface SetFlag {
  path: string;
  value: string;
}

const PATH = /^[A-Za-z0-9_][A-Za-z0-9_.\/-]*$/;

/** Splits `nodePools.0.desiredSize=3` at the first `=`; the value may be empty or contain `=`. */
export function parseSetFlag(flag: string): SetFlag {
  const eq = flag.indexOf('=');
  const path = eq < 0 ? flag : flag.slice(0, eq);
  const problem =
    eq < 0
      ? 'must look like path=value'
      : path === ''
        ? 'the path before "=" is empty'
        : !PATH.test(path) || path.includes('..') || path.endsWith('.')
          ? `path "${path}" must be dot-separated segments of letters, digits, "_", "-", "/" or "."`
          : forbiddenSegment(path) !== undefined
            ? forbiddenKeyIssue(path, forbiddenSegment(path) ?? '').message
            : undefined;
  if (problem) throw validationError([{ path: 'set', message: `--set "${flag}": ${problem}` }], 'example: --set nodePools.0.desiredSize=3');
  return { path, value: flag.slice(eq + 1) };
}

/** Turns several `--set` flags into an overrides record (no prototype); a path given twice is an error. */
export function setFlagsToOverrides(flags: readonly string[]): Record<string, string> {
  const overrides = nullProtoRecord<string>();
  for (const flag of flags) {
    const { path, value } = parseSetFlag(flag);
    if (Object.hasOwn(overrides, path)) throw validationError([{ path: 'set', message: `--set "${path}" was given more than once` }]);
    overrides[path] = value;
  }
  return overrides;
}
