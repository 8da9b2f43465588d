/**
 * Cluster templates: parsing a template document (`parseTemplate`), resolving it with a
 * team's request and `--set` overrides into a validated `ClusterSpec` (`resolveTemplate`), and
 * the canonical form used to check that a published template version never changes.
 * The document shape is described in `template-definition.ts`.
 */
import { parseDocument } from 'yaml';
import type { ClusterSpec, TargetRef } from './cluster-spec.ts';
import { canonicalJson } from './canonical-json.ts';
import { parseClusterSpec } from './cluster-spec-schema.ts';
import { DomainError, isDomainError, validationError, type FieldIssue } from './errors.ts';
import { coerceOverrideValue, matchesOverridePattern, resolveOverridePath } from './override-paths.ts';
import { forbiddenKeyIssue, forbiddenKeyPaths, forbiddenSegment, isForbiddenKey, nullProtoRecord } from './safe-keys.ts';
import { templateDefinitionSchema, type TemplateDefinition } from './template-definition.ts';
import { BUILTIN_PLACEHOLDERS, parseParameterText, placeholdersIn, substitutePlaceholders, type ParameterValue } from './template-parameters.ts';
import { assertSupportedVersion, DEFAULT_VERSION_RULES, type VersionRules } from './version-policy.ts';
import { zodIssuesToFieldIssues } from './zod-issues.ts';

export type { TemplateDefinition } from './template-definition.ts';

/** What a team asks for when creating a cluster from a template. */
export interface TemplateRequest {
  name: string;
  team: string;
  target: TargetRef;
  /** `--set path=value` pairs: parameter names or overridable spec paths. */
  overrides?: Record<string, string>;
  policy?: VersionRules;
}

/** Parses and validates a template document; errors name `source` (e.g. the file) and each field. */
export function parseTemplate(yamlText: string, source = 'template'): TemplateDefinition {
  const doc = parseDocument(yamlText);
  if (doc.errors.length > 0) {
    const issues = doc.errors.map((e) => ({ path: '', message: (e.message.split('\n')[0] ?? e.message).replace(/:$/, '') }));
    throw invalidTemplate(source, issues, 'fix the YAML syntax');
  }
  const raw: unknown = doc.toJS();
  const forbidden = forbiddenKeyPaths(raw);
  if (forbidden.length > 0) throw invalidTemplate(source, forbidden.map((f) => forbiddenKeyIssue(f.path, f.key)), 'rename or remove that key');
  const parsed = templateDefinitionSchema.safeParse(raw);
  if (!parsed.success) throw invalidTemplate(source, zodIssuesToFieldIssues(parsed.error.issues));
  const template: TemplateDefinition = parsed.data;

  const issues: FieldIssue[] = [];
  const declared = new Set(Object.keys(template.parameters));
  const used = new Set<string>();
  for (const p of placeholdersIn(template.spec, 'spec')) {
    used.add(p.name);
    if (!declared.has(p.name) && !(BUILTIN_PLACEHOLDERS as readonly string[]).includes(p.name)) {
      issues.push({ path: p.path, message: `unknown placeholder \${${p.name}}; declare it under parameters or use ${BUILTIN_PLACEHOLDERS.join(', ')}` });
    } else if (!p.whole && template.parameters[p.name]?.type === 'string-list') {
      issues.push({ path: p.path, message: `string-list parameter \${${p.name}} must be the whole value, not part of a string` });
    }
  }
  for (const name of declared) {
    if (!used.has(name)) issues.push({ path: `parameters.${name}`, message: `parameter "${name}" is not used in spec; use it or remove it` });
  }
  if (issues.length > 0) throw invalidTemplate(source, issues);

  // A template must resolve with its defaults alone; check it now rather than at request time.
  const target: TargetRef = { name: 'template-check', cloud: template.cloud, region: 'check-1', account: 'check', dnsZones: [] };
  try {
    resolveBody(template, { name: template.name, team: 'template-check', target });
  } catch (err) {
    if (!isDomainError(err)) throw err;
    throw invalidTemplate(source, err.issues.map((i) => ({ path: i.path ? `spec.${i.path}` : 'spec', message: i.message })));
  }
  return template;
}

/**
 * Resolves `template` for one request into a validated ClusterSpec. Overrides are checked
 * against the parameters' types and allowed values and the template's `overridable` list;
 * the Kubernetes version must be supported on the target's cloud.
 */
export function resolveTemplate(template: TemplateDefinition, request: TemplateRequest): ClusterSpec {
  const policy = request.policy ?? DEFAULT_VERSION_RULES;
  const spec = resolveBody(template, request);
  assertSupportedVersion(policy, spec.target.cloud, spec.kubernetesVersion);
  return spec;
}

/** The canonical JSON of a template: hash it to detect a changed published version. */
export function canonicalTemplateJson(template: TemplateDefinition): string {
  return canonicalJson(template);
}

function resolveBody(template: TemplateDefinition, request: TemplateRequest): ClusterSpec {
  const issues: FieldIssue[] = [];
  if (request.target.cloud !== template.cloud) {
    issues.push({ path: 'target', message: `template "${template.name}" is for ${template.cloud}, but target "${request.target.name}" is ${request.target.cloud}; pick a ${template.cloud} target or another template` });
  }
  const values = nullProtoRecord<ParameterValue>();
  values['cluster.name'] = request.name;
  values['cluster.team'] = request.team;
  values['target.region'] = request.target.region;
  for (const [name, param] of Object.entries(template.parameters)) values[name] = param.default;

  const specOverrides: { path: string; segments: string[]; value: unknown }[] = [];
  for (const [path, text] of Object.entries(request.overrides ?? {})) {
    const bad = forbiddenSegment(path);
    if (bad !== undefined) {
      issues.push(forbiddenKeyIssue(path, bad));
      continue;
    }
    const param = Object.hasOwn(template.parameters, path) ? template.parameters[path] : undefined;
    if (param) {
      const parsed = parseParameterText(param, text);
      if ('problem' in parsed) issues.push({ path, message: `parameter ${path} ${parsed.problem}` });
      else values[path] = parsed.value;
      continue;
    }
    const resolved = resolveOverridePath(path);
    if (!resolved) {
      issues.push({ path, message: `unknown override; --set takes a parameter (${listOrNone(Object.keys(template.parameters))}) or an overridable field (${listOrNone(template.overridable)})` });
      continue;
    }
    const coerced = coerceOverrideValue(resolved.type, text);
    if ('problem' in coerced) issues.push({ path, message: coerced.problem });
    else specOverrides.push({ path, segments: resolved.segments, value: coerced.value });
  }
  if (issues.length > 0) throw validationError(issues, `see the template "${template.name}" for its parameters and overridable fields`);

  const body = substitutePlaceholders(template.spec, values) as Record<string, unknown>;
  for (const o of specOverrides) {
    const forms = pathForms(body, o.segments);
    if (!template.overridable.some((p) => forms.some((f) => matchesOverridePattern(resolveOverridePath(p, true)?.segments ?? [], f)))) {
      issues.push({ path: o.path, message: `not overridable in template "${template.name}"; overridable: ${listOrNone(template.overridable)}` });
      continue;
    }
    const problem = setAtPath(body, o.segments, o.value);
    if (problem) issues.push({ path: o.path, message: problem });
  }
  // blue-green state is the platform's (platform/blue-green-plan.ts): never declared or overridden;
  // so are patch pins (platform/patch-plan.ts: a patch campaign sets them)
  if (Object.hasOwn(body, 'kubernetesPatch')) issues.push({ path: 'kubernetesPatch', message: 'is set by the platform during patch upgrades, never by a template or an override' });
  if (Array.isArray(body.nodePools)) {
    body.nodePools.forEach((pool: unknown, i: number) => {
      for (const key of ['generation', 'standby', 'kubernetesPatch']) {
        if (typeof pool === 'object' && pool !== null && Object.hasOwn(pool, key)) {
          issues.push({ path: `nodePools.${i}.${key}`, message: key === 'kubernetesPatch' ? 'is set by the platform during patch upgrades, never by a template or an override' : 'is set by the platform during blue-green upgrades, never by a template or an override' });
        }
      }
    });
  }
  if (issues.length > 0) throw validationError(issues);

  return parseClusterSpec({ ...body, name: request.name, team: request.team, target: request.target, template: `${template.name}@${template.version}` }, request.policy);
}

/** The path as given plus, under nodePools, the form using the pool's name instead of its index (and vice versa). */
function pathForms(body: Record<string, unknown>, segments: string[]): string[][] {
  const pools = Array.isArray(body.nodePools) ? (body.nodePools as { name?: unknown }[]) : [];
  if (segments[0] !== 'nodePools' || segments[1] === undefined) return [segments];
  const key = segments[1];
  const index = /^\d+$/.test(key) ? Number(key) : pools.findIndex((p) => p?.name === key);
  const name = pools[index]?.name;
  const other = /^\d+$/.test(key) ? (typeof name === 'string' ? name : key) : String(index);
  return [segments, ['nodePools', other, ...segments.slice(2)]];
}

/**
 * Sets `value` at `segments`, creating missing map entries (without a prototype); returns a
 * problem when the path does not exist. Only own properties are walked, and a forbidden key
 * is refused, so a path can never reach `Object.prototype`.
 */
function setAtPath(body: Record<string, unknown>, segments: string[], value: unknown): string | undefined {
  const bad = segments.find(isForbiddenKey);
  if (bad !== undefined) return forbiddenKeyIssue(segments.join('.'), bad).message;
  let current: unknown = body;
  for (const [i, seg] of segments.slice(0, -1).entries()) {
    if (Array.isArray(current)) {
      const items = current as { name?: unknown }[];
      const index = /^\d+$/.test(seg) ? Number(seg) : items.findIndex((p) => p?.name === seg);
      if (index < 0 || index >= items.length) {
        return `no node pool "${seg}"; pools are ${items.map((p, n) => `${n} (${String(p?.name)})`).join(', ')}`;
      }
      current = items[index];
    } else if (typeof current === 'object' && current !== null) {
      const obj = current as Record<string, unknown>;
      if (!Object.hasOwn(obj, seg) || obj[seg] === undefined) obj[seg] = nullProtoRecord<unknown>();
      current = obj[seg];
    } else {
      return `cannot set below ${segments.slice(0, i).join('.')}: it is not an object`;
    }
  }
  if (typeof current !== 'object' || current === null || Array.isArray(current)) return `cannot set ${segments.join('.')}`;
  (current as Record<string, unknown>)[segments.at(-1) ?? ''] = value;
  return undefined;
}

function invalidTemplate(source: string, issues: FieldIssue[], hint = 'fix the listed fields of the template'): DomainError {
  const summary = issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; ');
  return new DomainError('VALIDATION', `${source}: invalid template: ${summary}`, { issues, hint });
}

function listOrNone(items: readonly string[]): string {
  return items.length > 0 ? items.join(', ') : 'none';
}
