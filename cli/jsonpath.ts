/**
 * The JSONPath subset of `-o jsonpath=TEMPLATE`, after kubectl's
 * (https://kubernetes.io/docs/reference/kubectl/jsonpath/): text with `{EXPR}` parts, where EXPR is
 * `.field`, `['field']`, `[n]` (negative from the end), `[*]` or `.*`, optionally starting with
 * `$`; `{"text"}` literals with \n \t escapes; `{range EXPR}…{end}`. A template without `{` is
 * taken as one expression (kubectl's relaxed form). Several results print space-separated,
 * strings as they are, anything else as JSON; a missing field prints nothing. Only own
 * properties are walked; `__proto__`, `prototype` and `constructor` never match.
 */
import { usageError } from './errors.ts';

type Step = { kind: 'field'; name: string } | { kind: 'index'; index: number } | { kind: 'all' };
/** A parsed template part. */
export type JsonPathNode = { kind: 'text'; text: string } | { kind: 'path'; steps: Step[] } | { kind: 'range'; steps: Step[]; body: JsonPathNode[] };

const FORBIDDEN = new Set(['__proto__', 'prototype', 'constructor']);

const bad = (template: string, problem: string) => usageError(`--output jsonpath "${template}": ${problem}`, 'example: -o jsonpath=\'{.items[*].name}\' or -o jsonpath=\'{range .items[*]}{.name}{"\\n"}{end}\'');

function parseSteps(expr: string, template: string): Step[] {
  let s = expr.trim();
  if (s.startsWith('$')) s = s.slice(1);
  const steps: Step[] = [];
  let i = 0;
  while (i < s.length) {
    const rest = s.slice(i);
    let m: RegExpMatchArray | null;
    if ((m = rest.match(/^\.\*/))) steps.push({ kind: 'all' });
    else if ((m = rest.match(/^\.([A-Za-z0-9_-]+)/))) steps.push({ kind: 'field', name: m[1]! });
    else if ((m = rest.match(/^\[\*\]/))) steps.push({ kind: 'all' });
    else if ((m = rest.match(/^\[(-?\d+)\]/))) steps.push({ kind: 'index', index: Number(m[1]) });
    else if ((m = rest.match(/^\['([^']*)'\]/) ?? rest.match(/^\["([^"]*)"\]/))) steps.push({ kind: 'field', name: m[1]! });
    else if (rest === '.' && steps.length === 0) break;
    else throw bad(template, `cannot read "${rest}" (supported: .field, ['field'], [n], [*], .*)`);
    i += m[0].length;
  }
  return steps;
}

function unquote(literal: string, template: string): string {
  try {
    return JSON.parse(literal) as string;
  } catch {
    throw bad(template, `the literal ${literal} is not a valid string`);
  }
}

/** Parses a template; a malformed one is a usage error naming the problem. */
export function parseJsonPath(template: string): JsonPathNode[] {
  const source = template.includes('{') ? template : `{${template}}`;
  const root: JsonPathNode[] = [];
  const stack: { body: JsonPathNode[] }[] = [{ body: root }];
  let i = 0;
  while (i < source.length) {
    const open = source.indexOf('{', i);
    const body = stack[stack.length - 1]!.body;
    if (open < 0) {
      body.push({ kind: 'text', text: source.slice(i) });
      break;
    }
    if (open > i) body.push({ kind: 'text', text: source.slice(i, open) });
    // a closing brace outside a string literal ends the part
    let close = -1;
    let inString = false;
    for (let j = open + 1; j < source.length; j++) {
      const c = source[j];
      if (inString && c === '\\') j++;
      else if (c === '"') inString = !inString;
      else if (c === '}' && !inString) {
        close = j;
        break;
      }
    }
    if (close < 0) throw bad(template, `unclosed "{" at position ${open + 1}`);
    const inner = source.slice(open + 1, close).trim();
    if (inner.startsWith('"')) body.push({ kind: 'text', text: unquote(inner, template) });
    else if (inner === 'end') {
      if (stack.length === 1) throw bad(template, '{end} without {range …}');
      stack.pop();
    } else if (inner.startsWith('range ')) {
      const node: JsonPathNode = { kind: 'range', steps: parseSteps(inner.slice(6), template), body: [] };
      body.push(node);
      stack.push(node);
    } else body.push({ kind: 'path', steps: parseSteps(inner, template) });
    i = close + 1;
  }
  if (stack.length > 1) throw bad(template, '{range …} without its {end}');
  return root;
}

function step(values: unknown[], s: Step): unknown[] {
  const out: unknown[] = [];
  for (const v of values) {
    if (s.kind === 'field') {
      if (v && typeof v === 'object' && !Array.isArray(v) && !FORBIDDEN.has(s.name) && Object.hasOwn(v, s.name)) out.push((v as Record<string, unknown>)[s.name]);
    } else if (s.kind === 'index') {
      if (Array.isArray(v)) {
        const i = s.index < 0 ? v.length + s.index : s.index;
        if (i >= 0 && i < v.length) out.push(v[i]);
      }
    } else if (Array.isArray(v)) out.push(...v);
    else if (v && typeof v === 'object') out.push(...Object.values(v));
  }
  return out.filter((v) => v !== undefined);
}

const select = (steps: Step[], current: unknown) => steps.reduce<unknown[]>(step, [current]);
const show = (v: unknown) => (typeof v === 'string' ? v : v === null ? 'null' : JSON.stringify(v));

/** Renders a parsed template against `data`. */
export function evaluateJsonPath(nodes: JsonPathNode[], data: unknown): string {
  return nodes
    .map((n) => {
      if (n.kind === 'text') return n.text;
      if (n.kind === 'path') return select(n.steps, data).map(show).join(' ');
      return select(n.steps, data).map((item) => evaluateJsonPath(n.body, item)).join('');
    })
    .join('');
}
