/**
 * The spec fields a template may open to `--set` overrides, and the path logic around them.
 * Paths are dotted (`nodePools.0.desiredSize`, `nodePools.general.desiredSize`, `tags.cost-center`).
 * A map key (`tags.*`, `nodePools.*.labels.*`, `addons.*.values.*`) takes the rest of the path,
 * so label keys with dots and slashes work: `tags.kaas.io/owner=x` sets the tag `kaas.io/owner`.
 * Server-owned fields (name, team, target, template) are never overridable. No segment may be
 * `__proto__`, `prototype` or `constructor` (see `safe-keys.ts`); a `*` never matches one.
 */
import { isForbiddenKey } from './safe-keys.ts';

/** How an override's text value is turned into a spec value. */
export type OverrideValueType = 'string' | 'integer' | 'boolean' | 'string-list' | 'scalar';

/** A known overridable field: `*` is one segment, `{key}` a map key taking the rest of the path. */
interface OverrideField {
  pattern: string[];
  type: OverrideValueType;
}

const FIELDS: OverrideField[] = [
  { pattern: ['kubernetesVersion'], type: 'string' },
  { pattern: ['deletionProtection'], type: 'boolean' },
  { pattern: ['tags', '{key}'], type: 'string' },
  { pattern: ['networking', 'authorizedCidrs'], type: 'string-list' },
  { pattern: ['networking', 'privateEndpoint'], type: 'boolean' },
  { pattern: ['networking', 'publicNodeIps'], type: 'boolean' },
  { pattern: ['nodePools', '*', 'machineType'], type: 'string' },
  { pattern: ['nodePools', '*', 'minSize'], type: 'integer' },
  { pattern: ['nodePools', '*', 'maxSize'], type: 'integer' },
  { pattern: ['nodePools', '*', 'desiredSize'], type: 'integer' },
  { pattern: ['nodePools', '*', 'kubernetesVersion'], type: 'string' },
  { pattern: ['nodePools', '*', 'labels', '{key}'], type: 'string' },
  { pattern: ['addons', '*', 'enabled'], type: 'boolean' },
  { pattern: ['addons', '*', 'values', '{key}'], type: 'scalar' },
];

/** A path split into segments and matched to its known field. */
export interface ResolvedPath {
  segments: string[];
  type: OverrideValueType;
}

/**
 * Splits `path` into segments using the known fields (map keys keep their dots), or returns
 * undefined when no known field has that shape. With `wildcards`, `*` segments are accepted
 * (for template `overridable` patterns).
 */
export function resolveOverridePath(path: string, wildcards = false): ResolvedPath | undefined {
  const raw = path.split('.');
  if (raw.some((s) => s === '' || isForbiddenKey(s)) || (!wildcards && raw.includes('*'))) return undefined;
  for (const field of FIELDS) {
    const keyAt = field.pattern.indexOf('{key}');
    const segments = keyAt < 0 ? raw : [...raw.slice(0, keyAt), raw.slice(keyAt).join('.')];
    if (segments.length !== field.pattern.length || (keyAt >= 0 && raw.length <= keyAt)) continue;
    if (field.pattern.every((p, i) => p === '*' || p === '{key}' || p === segments[i])) return { segments, type: field.type };
  }
  return undefined;
}

/** Whether concrete `segments` match a template pattern's segments (`*` matches any one, never a forbidden key). */
export function matchesOverridePattern(pattern: readonly string[], segments: readonly string[]): boolean {
  if (segments.some((s) => s.split('.').some(isForbiddenKey))) return false;
  return pattern.length === segments.length && pattern.every((p, i) => p === '*' || p === segments[i]);
}

/** Human-readable list of the field shapes a template may make overridable. */
export function knownOverrideFields(): string[] {
  return FIELDS.map((f) => f.pattern.join('.').replace('{key}', '*'));
}

/** Converts an override's text to a typed value, or returns the reason it cannot. */
export function coerceOverrideValue(type: OverrideValueType, text: string): { value: unknown } | { problem: string } {
  switch (type) {
    case 'string':
      return { value: text };
    case 'integer':
      return /^-?(0|[1-9][0-9]{0,8})$/.test(text) ? { value: Number(text) } : { problem: `expects an integer, got "${text}"` };
    case 'boolean':
      return text === 'true' || text === 'false' ? { value: text === 'true' } : { problem: `expects true or false, got "${text}"` };
    case 'string-list':
      return { value: splitList(text) };
    case 'scalar':
      if (text === 'true' || text === 'false') return { value: text === 'true' };
      return /^-?(0|[1-9][0-9]{0,14})(\.[0-9]+)?$/.test(text) ? { value: Number(text) } : { value: text };
  }
}

/** Splits a comma-separated list, trimming items and dropping empty ones. */
export function splitList(text: string): string[] {
  return text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}
