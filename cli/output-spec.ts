/**
 * `-o/--output`: the renderer formats (table, json, yaml) plus kubectl's `name` (one KIND/NAME line
 * per object) and `jsonpath=TEMPLATE` (see `jsonpath.ts`), which select from the JSON output.
 */
import { usageError } from './errors.ts';
import { evaluateJsonPath, parseJsonPath, type JsonPathNode } from './jsonpath.ts';
import type { OutputFormat } from './render/output.ts';

/** What `--output` asked for. */
export type OutputSpec = { kind: 'format'; format: OutputFormat } | { kind: 'name' } | { kind: 'jsonpath'; template: JsonPathNode[] };

/** The values `--output` takes, for help and errors. */
export const OUTPUT_HELP = 'table, json, yaml, name, jsonpath=TEMPLATE';

/** Parses `--output`; an unknown value is a usage error listing the valid ones. */
export function parseOutputSpec(value: string | undefined): OutputSpec {
  const v = value ?? 'table';
  if (v === 'table' || v === 'json' || v === 'yaml') return { kind: 'format', format: v };
  if (v === 'name') return { kind: 'name' };
  const jp = v.match(/^jsonpath=(.*)$/s);
  if (jp) {
    const template = jp[1]!.replace(/^'(.*)'$/s, '$1');
    if (!template) throw usageError('--output jsonpath= needs a template', "example: -o jsonpath='{.items[*].name}'");
    return { kind: 'jsonpath', template: parseJsonPath(template) };
  }
  throw usageError(`--output "${v}" is not one of ${OUTPUT_HELP}`, "example: -o json, or -o jsonpath='{.items[*].name}'");
}

/** The renderer format behind a spec: `name` and `jsonpath` are machine output, built from JSON. */
export function baseFormat(spec: OutputSpec): OutputFormat {
  return spec.kind === 'format' ? spec.format : 'json';
}

const KIND_BY_TOPIC: Record<string, string> = { clusters: 'cluster', templates: 'template', targets: 'target', teams: 'team', tokens: 'token', fleet: 'campaign', config: 'context', audit: 'audit-entry' };

/** The KIND of `-o name` lines for a command under `topic`. */
export function kindOf(topic: string): string {
  return KIND_BY_TOPIC[topic] ?? topic;
}

/** KIND/NAME lines for what a command returned: its `items`, or the one object it is about. */
export function nameLines(data: unknown, kind: string): string {
  const d = data as Record<string, unknown>;
  const objects: unknown[] = Array.isArray(data) ? data : Array.isArray(d?.items) ? (d.items as unknown[]) : [d?.cluster ?? d?.campaign ?? d?.team ?? d];
  const names = objects.map((o) => {
    const r = o as Record<string, unknown> | null;
    return typeof r?.name === 'string' ? r.name : typeof r?.id === 'string' ? r.id : undefined;
  });
  if (names.some((n) => n === undefined)) throw usageError('-o name: this command prints no named objects', 'use -o json or -o jsonpath=… instead');
  return names.map((n) => `${kind}/${n}`).join('\n');
}

/** The output of a spec that is not a renderer format. */
export function selectOutput(spec: Exclude<OutputSpec, { kind: 'format' }>, data: unknown, kind: string): string {
  // through JSON, so the template sees exactly what `-o json` prints
  const plain: unknown = JSON.parse(JSON.stringify(data ?? null));
  return spec.kind === 'name' ? nameLines(plain, kind) : evaluateJsonPath(spec.template, plain);
}
