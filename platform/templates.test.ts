import { describe, expect, it } from 'vitest';
import type { TargetRef } from './cluster-spec.ts';
import { isDomainError } from './errors.ts';
import { canonicalTemplateJson, parseTemplate, resolveTemplate, type TemplateDefinition } from './templates.ts';

const TEMPLATE = `
name: team-dev
version: 4
description: Test template.
cloud: sim
parameters:
  nodes: { type: integer, default: 2, min: 1, max: 4, description: Pool size. }
  size: { type: string, default: sim.small, allowed: [sim.small, sim.medium], description: Machine. }
  cidrs: { type: string-list, default: ["10.0.0.0/8"], description: API CIDRs. }
  metrics: { type: boolean, default: false, description: Prometheus on. }
overridable:
  - kubernetesVersion
  - nodePools.*.desiredSize
  - nodePools.general.maxSize
  - addons.external-dns.enabled
  - addons.prometheus.values.*
  - tags.*
spec:
  kubernetesVersion: "1.33"
  nodePools:
    - { name: general, machineType: "\${size}", minSize: 1, maxSize: 4, desiredSize: "\${nodes}" }
    - { name: spare, machineType: sim.small, minSize: 0, maxSize: 2, desiredSize: 0 }
  addons:
    prometheus: { enabled: "\${metrics}" }
  networking:
    authorizedCidrs: "\${cidrs}"
    privateEndpoint: false
    publicNodeIps: false
    vpc: { mode: create, cidr: 10.1.0.0/16 }
  tags:
    owner: "\${cluster.team}"
    name: "c-\${cluster.name}-\${nodes}"
  deletionProtection: false
`;

const target: TargetRef = { name: 'local', cloud: 'sim', region: 'local-1', account: 'local', dnsZones: [] };
const template = parseTemplate(TEMPLATE, 'templates/team-dev.yaml');
const resolve = (overrides: Record<string, string> = {}, t: TemplateDefinition = template) =>
  resolveTemplate(t, { name: 'web', team: 'payments', target, overrides });

function errorOf(fn: () => unknown): { code: string; message: string; issues: string[] } {
  try {
    fn();
  } catch (err) {
    if (isDomainError(err)) return { code: err.code, message: err.message, issues: err.issues.map((i) => `${i.path}: ${i.message}`) };
    throw err;
  }
  throw new Error('expected a DomainError');
}

describe('resolveTemplate', () => {
  it('substitutes defaults with their types and the built-in placeholders', () => {
    const spec = resolve();
    expect(spec.nodePools[0]).toMatchObject({ machineType: 'sim.small', desiredSize: 2 });
    expect(spec.networking.authorizedCidrs).toEqual(['10.0.0.0/8']);
    expect(spec.addons.prometheus).toEqual({ enabled: false, values: {} });
    expect(spec.tags).toEqual({ owner: 'payments', name: 'c-web-2' });
    expect(spec.template).toBe('team-dev@4');
  });

  it.each<[string, Record<string, string>, (s: ReturnType<typeof resolve>) => unknown, unknown]>([
    ['integer parameter', { nodes: '3' }, (s) => s.nodePools[0]?.desiredSize, 3],
    ['allowed string parameter', { size: 'sim.medium' }, (s) => s.nodePools[0]?.machineType, 'sim.medium'],
    ['string-list parameter', { cidrs: '10.0.0.0/8, 192.168.0.0/16' }, (s) => s.networking.authorizedCidrs, ['10.0.0.0/8', '192.168.0.0/16']],
    ['boolean parameter', { metrics: 'true' }, (s) => s.addons.prometheus?.enabled, true],
    ['spec path by index', { 'nodePools.1.desiredSize': '2' }, (s) => s.nodePools[1]?.desiredSize, 2],
    ['spec path by pool name', { 'nodePools.spare.desiredSize': '1' }, (s) => s.nodePools[1]?.desiredSize, 1],
    ['named pattern via index', { 'nodePools.0.maxSize': '3' }, (s) => s.nodePools[0]?.maxSize, 3],
    ['overrides win over parameters', { nodes: '3', 'nodePools.general.desiredSize': '4' }, (s) => s.nodePools[0]?.desiredSize, 4],
    ['new addon entry', { 'addons.external-dns.enabled': 'true' }, (s) => s.addons['external-dns'], { enabled: true, values: {} }],
    ['addon value scalar', { 'addons.prometheus.values.retention': '15' }, (s) => s.addons.prometheus?.values, { retention: 15 }],
    ['tag with dots and slash', { 'tags.kaas.io/cost-center': 'cc-42' }, (s) => s.tags['kaas.io/cost-center'], 'cc-42'],
    ['kubernetes version', { kubernetesVersion: '1.34' }, (s) => s.kubernetesVersion, '1.34'],
  ])('applies %s', (_name, overrides, pick, expected) => {
    expect(pick(resolve(overrides))).toEqual(expected);
  });

  it.each<[string, Record<string, string>, string]>([
    ['integer above max', { nodes: '5' }, 'nodes: parameter nodes must be <= 4 (got 5)'],
    ['integer below min', { nodes: '0' }, 'nodes: parameter nodes must be >= 1 (got 0)'],
    ['non-integer', { nodes: 'two' }, 'nodes: parameter nodes expects an integer, got "two"'],
    ['value not allowed', { size: 'sim.huge' }, 'size: parameter size must be one of sim.small, sim.medium'],
    ['bad boolean', { metrics: 'yes' }, 'metrics: parameter metrics expects true or false'],
    ['unknown path', { replicas: '3' }, 'replicas: unknown override; --set takes a parameter (nodes, size, cidrs, metrics)'],
    ['server-owned field', { name: 'other' }, 'name: unknown override'],
    ['target', { 'target.region': 'x' }, 'target.region: unknown override'],
    ['not overridable', { deletionProtection: 'true' }, 'deletionProtection: not overridable in template "team-dev"'],
    ['named pattern, other pool', { 'nodePools.spare.maxSize': '3' }, 'nodePools.spare.maxSize: not overridable'],
    ['missing pool', { 'nodePools.7.desiredSize': '1' }, 'nodePools.7.desiredSize: no node pool "7"; pools are 0 (general), 1 (spare)'],
    ['typed spec value', { 'nodePools.0.desiredSize': 'many' }, 'nodePools.0.desiredSize: expects an integer'],
    ['value breaks the spec', { 'nodePools.0.desiredSize': '9' }, 'nodePools.0.desiredSize: must be <= maxSize (9 > 4)'],
    ['bad version', { kubernetesVersion: '1.40' }, 'kubernetesVersion: must be one of'],
  ])('refuses %s', (_name, overrides, expected) => {
    expect(errorOf(() => resolve(overrides)).issues.join('\n')).toContain(expected);
  });

  it('lists every bad override at once', () => {
    const { code, issues } = errorOf(() => resolve({ nodes: '99', size: 'x', bogus: '1' }));
    expect(code).toBe('VALIDATION');
    expect(issues.map((i) => i.split(':')[0])).toEqual(['nodes', 'size', 'bogus']);
  });

  it('refuses a target on another cloud', () => {
    const err = errorOf(() => resolveTemplate(template, { name: 'web', team: 'payments', target: { ...target, cloud: 'aws' } }));
    expect(err.issues[0]).toContain('target: template "team-dev" is for sim, but target "local" is aws');
  });

  it('does not mutate the template', () => {
    const before = canonicalTemplateJson(template);
    resolve({ 'addons.external-dns.enabled': 'true', 'tags.x': 'y', nodes: '3' });
    expect(canonicalTemplateJson(template)).toBe(before);
  });
});

describe('parseTemplate', () => {
  const variant = (from: string, to: string) => TEMPLATE.replace(from, to);

  it.each<[string, string, string]>([
    ['YAML syntax', 'name: [unclosed', 'at line 1, column 16'],
    ['unknown top-level key', variant('cloud: sim', 'cloud: sim\nowner: me'), ': unknown field(s) "owner"'],
    ['bad cloud', variant('cloud: sim', 'cloud: ibm'), 'cloud:'],
    ['bad name', variant('name: team-dev', 'name: Team_Dev'), 'name: must be a lowercase DNS label'],
    ['default above max', variant('default: 2, min: 1, max: 4', 'default: 9, min: 1, max: 4'), 'parameters.nodes.default: must be <= 4'],
    ['min above max', variant('default: 2, min: 1, max: 4', 'default: 2, min: 5, max: 4'), 'parameters.nodes.min: must be <= max'],
    ['default not allowed', variant('default: sim.small, allowed', 'default: sim.large, allowed'), 'parameters.size.default: must be one of'],
    ['bad parameter type', variant('type: boolean', 'type: bool'), 'parameters.metrics.type'],
    ['unknown overridable', variant('  - tags.*', '  - target.region'), 'overridable.5: must name an overridable field'],
    ['non-leaf overridable', variant('  - tags.*', '  - addons.*'), 'overridable.5: must name an overridable field'],
    ['duplicate overridable', variant('  - tags.*', '  - tags.*\n  - tags.*'), 'overridable: duplicate entries: tags.*'],
    ['server-owned spec field', variant('spec:\n', 'spec:\n  team: other\n'), 'spec.team: "team" is set by the platform'],
    ['unknown placeholder', variant('"${size}"', '"${sizes}"'), 'spec.nodePools.0.machineType: unknown placeholder ${sizes}'],
    ['list placeholder inside text', variant('"c-${cluster.name}-${nodes}"', '"c-${cidrs}"'), 'spec.tags.name: string-list parameter ${cidrs} must be the whole value'],
    ['unused parameter', variant('"${metrics}"', 'false'), 'parameters.metrics: parameter "metrics" is not used'],
    ['parameter named like a field', variant('  nodes:', '  deletionProtection:').replaceAll('${nodes}', '${deletionProtection}'), 'parameters.deletionProtection: parameter "deletionProtection" has the name of a spec field'],
    ['spec that does not validate', variant('maxSize: 4, desiredSize', 'maxSize: 1, desiredSize'), 'spec.nodePools.0.desiredSize: must be <= maxSize (2 > 1)'],
    ['spec missing networking', variant('  networking:', '  networkin:'), 'spec: unknown field(s) "networkin"'],
  ])('refuses %s, naming the file and field', (_name, text, expected) => {
    const err = errorOf(() => parseTemplate(text, 'templates/x.yaml'));
    expect(err.code).toBe('VALIDATION');
    expect(err.message).toMatch(/^templates\/x\.yaml: invalid template: /);
    expect(err.message).toContain(expected.replace('templates/x.yaml: invalid template: ', ''));
  });

  it('version defaults to 1, deprecated is kept', () => {
    const t = parseTemplate(variant('version: 4\n', 'deprecated: use team-dev-v2\n'));
    expect(t.version).toBe(1);
    expect(t.deprecated).toBe('use team-dev-v2');
  });
});

describe('canonicalTemplateJson', () => {
  it('is independent of key order and changes with content', () => {
    const reordered = parseTemplate(TEMPLATE.replace('cloud: sim\n', '').replace('name: team-dev\n', 'name: team-dev\ncloud: sim\n'));
    expect(canonicalTemplateJson(reordered)).toBe(canonicalTemplateJson(template));
    const changed = parseTemplate(TEMPLATE.replace('Test template.', 'Test template!'));
    expect(canonicalTemplateJson(changed)).not.toBe(canonicalTemplateJson(template));
  });
});
