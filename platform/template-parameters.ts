/**
 * Template parameters: typed values with constraints, and `${param}` placeholders in the
 * template's spec body. A string that is exactly one placeholder becomes the typed value
 * (`desiredSize: ${nodes}` gives a number); a placeholder inside a longer string is
 * interpolated as text. Built-in placeholders: `${cluster.name}`, `${cluster.team}`,
 * `${target.region}`.
 */

/** The types a template parameter can have. */
export const PARAMETER_TYPES = ['string', 'integer', 'boolean', 'string-list'] as const;
export type ParameterType = (typeof PARAMETER_TYPES)[number];

/** A parameter's value. */
export type ParameterValue = string | number | boolean | string[];

/** One declared template parameter. */
export interface TemplateParameter {
  type: ParameterType;
  default: ParameterValue;
  description: string;
  /** Allowed values (for string-list: allowed items). */
  allowed?: (string | number)[];
  /** Inclusive bounds, integers only. */
  min?: number;
  max?: number;
}

/** Names usable as `${...}` without being declared. */
export const BUILTIN_PLACEHOLDERS = ['cluster.name', 'cluster.team', 'target.region'] as const;

const PLACEHOLDER = /\$\{([A-Za-z][A-Za-z0-9.]*)\}/g;
const WHOLE_PLACEHOLDER = /^\$\{([A-Za-z][A-Za-z0-9.]*)\}$/;

/** Why `value` breaks the parameter's type or constraints, or undefined when it fits. */
export function parameterValueProblem(param: TemplateParameter, value: unknown): string | undefined {
  const allowed = param.allowed;
  switch (param.type) {
    case 'string':
      if (typeof value !== 'string') return 'must be a string';
      break;
    case 'integer':
      if (typeof value !== 'number' || !Number.isInteger(value)) return 'must be an integer';
      if (param.min !== undefined && value < param.min) return `must be >= ${param.min} (got ${value})`;
      if (param.max !== undefined && value > param.max) return `must be <= ${param.max} (got ${value})`;
      break;
    case 'boolean':
      return typeof value === 'boolean' ? undefined : 'must be true or false';
    case 'string-list': {
      if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) return 'must be a list of strings';
      const bad = allowed ? value.filter((v) => !allowed.includes(v)) : [];
      return bad.length > 0 ? `items ${bad.map((b) => `"${b}"`).join(', ')} are not allowed (allowed: ${allowed?.join(', ')})` : undefined;
    }
  }
  if (allowed && !allowed.includes(value)) return `must be one of ${allowed.join(', ')} (got ${JSON.stringify(value)})`;
  return undefined;
}

/** Parses a `--set` text value for the parameter, or returns the reason it cannot. */
export function parseParameterText(param: TemplateParameter, text: string): { value: ParameterValue } | { problem: string } {
  let value: ParameterValue;
  switch (param.type) {
    case 'string':
      value = text;
      break;
    case 'integer':
      if (!/^-?(0|[1-9][0-9]{0,8})$/.test(text)) return { problem: `expects an integer, got "${text}"` };
      value = Number(text);
      break;
    case 'boolean':
      if (text !== 'true' && text !== 'false') return { problem: `expects true or false, got "${text}"` };
      value = text === 'true';
      break;
    case 'string-list':
      value = text.split(',').map((s) => s.trim()).filter((s) => s !== '');
      break;
  }
  const problem = parameterValueProblem(param, value);
  return problem ? { problem } : { value };
}

/** Every placeholder name used in `body`, with the dotted path where it appears. */
export function placeholdersIn(body: unknown, path = ''): { name: string; path: string; whole: boolean }[] {
  if (typeof body === 'string') {
    const whole = WHOLE_PLACEHOLDER.test(body);
    return [...body.matchAll(PLACEHOLDER)].map((m) => ({ name: m[1] ?? '', path, whole }));
  }
  if (Array.isArray(body)) return body.flatMap((v, i) => placeholdersIn(v, join(path, String(i))));
  if (typeof body === 'object' && body !== null) {
    return Object.entries(body).flatMap(([k, v]) => placeholdersIn(v, join(path, k)));
  }
  return [];
}

/** Replaces placeholders in a deep copy of `body` with `values`; unknown names are left to validation. */
export function substitutePlaceholders(body: unknown, values: Readonly<Record<string, ParameterValue>>): unknown {
  if (typeof body === 'string') {
    const whole = WHOLE_PLACEHOLDER.exec(body);
    if (whole && Object.hasOwn(values, whole[1] ?? '')) return structuredClone(values[whole[1] ?? '']);
    return body.replace(PLACEHOLDER, (match, name: string) => {
      const v = Object.hasOwn(values, name) ? values[name] : undefined;
      return v === undefined ? match : Array.isArray(v) ? v.join(',') : String(v);
    });
  }
  if (Array.isArray(body)) return body.map((v) => substitutePlaceholders(v, values));
  if (typeof body === 'object' && body !== null) {
    return Object.fromEntries(Object.entries(body).map(([k, v]) => [k, substitutePlaceholders(v, values)]));
  }
  return body;
}

function join(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}
