/**
 * Field-by-field differences between two cluster specs, for previews ("what would change").
 * Objects are compared key by key; node pools are matched by name (`nodePools.general.desiredSize`),
 * so reordering pools is no change; other arrays are compared as whole values.
 */
import { canonicalJson } from './canonical-json.ts';

/** One changed field: its dotted path, and the values before and after (undefined = absent). */
export interface SpecChange {
  path: string;
  from: unknown;
  to: unknown;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isNamedList = (v: unknown): v is { name: string }[] => Array.isArray(v) && v.every((x) => isObject(x) && typeof x.name === 'string');

/** The changed fields from `before` to `after`, sorted by path. */
export function diffSpecs(before: unknown, after: unknown): SpecChange[] {
  const changes: SpecChange[] = [];
  walk(before, after, '', changes);
  return changes.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

function walk(a: unknown, b: unknown, path: string, out: SpecChange[]): void {
  if (isObject(a) && isObject(b)) {
    for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) walk(a[key], b[key], path ? `${path}.${key}` : key, out);
    return;
  }
  if (path === 'nodePools' && isNamedList(a) && isNamedList(b)) {
    const before = new Map(a.map((p) => [p.name, p]));
    const after = new Map(b.map((p) => [p.name, p]));
    for (const name of new Set([...before.keys(), ...after.keys()])) walk(before.get(name), after.get(name), `${path}.${name}`, out);
    return;
  }
  if (a === undefined && b === undefined) return;
  if (a === undefined || b === undefined || canonicalJson(a) !== canonicalJson(b)) out.push({ path, from: a, to: b });
}
