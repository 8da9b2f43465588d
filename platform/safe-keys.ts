/**
 * Prototype safety for everything that walks or builds objects from user-supplied keys
 * (`--set` paths, tags, labels, addon values, template documents, API inputs).
 * `__proto__`, `prototype` and `constructor` are refused wherever a key or path segment comes
 * from a user: assigning or walking through them reaches `Object.prototype` (or `Object`) and
 * poisons every object of the process. Objects built from user keys have no prototype.
 */
import { DomainError, type FieldIssue } from './errors.ts';

/** Keys that must never be a path segment or an object key taken from input. */
export const FORBIDDEN_KEYS: readonly string[] = ['__proto__', 'prototype', 'constructor'];

/** Whether `key` is one of the forbidden keys. */
export function isForbiddenKey(key: string): boolean {
  return FORBIDDEN_KEYS.includes(key);
}

/** The first forbidden segment of a dotted `path`, or undefined. */
export function forbiddenSegment(path: string): string | undefined {
  return path.split('.').find(isForbiddenKey);
}

/** The issue for a forbidden segment `key` in `path` (one wording everywhere). */
export function forbiddenKeyIssue(path: string, key: string): FieldIssue {
  return { path, message: `"${key}" is not allowed as a key or path segment (${FORBIDDEN_KEYS.join(', ')} are reserved)` };
}

/** Dotted paths of every own key in `value` (deeply) that is a forbidden key. */
export function forbiddenKeyPaths(value: unknown, path: readonly string[] = [], depth = 0): { path: string; key: string }[] {
  if (typeof value !== 'object' || value === null || depth > 64) return [];
  const out: { path: string; key: string }[] = [];
  for (const key of Object.keys(value)) {
    const here = [...path, key];
    if (isForbiddenKey(key)) out.push({ path: here.join('.'), key });
    else out.push(...forbiddenKeyPaths((value as Record<string, unknown>)[key], here, depth + 1));
  }
  return out;
}

/** Throws a VALIDATION DomainError naming every forbidden key in `value`; `prefix` names where it came from. */
export function assertNoForbiddenKeys(value: unknown, prefix = 'input'): void {
  const found = forbiddenKeyPaths(value);
  if (found.length === 0) return;
  const issues = found.map((f) => forbiddenKeyIssue(f.path, f.key));
  const summary = issues.map((i) => `${i.path}: ${i.message}`).join('; ');
  throw new DomainError('VALIDATION', `${prefix}: ${summary}`, { issues, hint: 'rename or remove that key' });
}

/** An empty object without a prototype, for maps keyed by user input. */
export function nullProtoRecord<V>(): Record<string, V> {
  return Object.create(null) as Record<string, V>;
}
