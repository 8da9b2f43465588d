import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { DomainError } from './errors.ts';
import { reresolveSpec } from './spec-reresolution.ts';
import { parseTemplate, resolveTemplate } from './templates.ts';

const yaml = fs.readFileSync(new URL('../templates/sim-dev.yaml', import.meta.url), 'utf8');
const simDev = parseTemplate(yaml);
// the same template, with pool versions overridable and the control-plane version behind a parameter
const withVersionParam = parseTemplate(
  yaml
    .replace('parameters:\n', 'parameters:\n  k8s:\n    type: string\n    default: "1.33"\n    description: Kubernetes version.\n')
    .replace('kubernetesVersion: "1.33"', 'kubernetesVersion: "${k8s}"')
    .replace('  - kubernetesVersion\n', '  - kubernetesVersion\n  - nodePools.*.kubernetesVersion\n'),
);
const target = { name: 'sim-local', cloud: 'sim' as const, region: 'local', account: 'local', dnsZones: [] };

/** A cluster created from `template` (1.33) and then upgraded to 1.34, as the upgrade worker leaves it. */
function upgraded(template = simDev, overrides: Record<string, string> = { nodeCount: '3' }) {
  const spec = resolveTemplate(template, { name: 'web', team: 't', target, overrides });
  return { name: 'web', spec: { ...spec, kubernetesVersion: '1.34' }, overrides, target };
}

function refusal(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (err) {
    return err as DomainError;
  }
  throw new Error('expected a refusal, but it resolved');
}

describe('reresolveSpec', () => {
  it.each([
    ['a pool resize', { 'nodePools.general.desiredSize': '4' }],
    ['deletion protection', { deletionProtection: 'true' }],
    ['nothing (a rollout)', {}],
  ])('keeps the running control-plane and pool versions on %s', (_name, set) => {
    const cluster = upgraded();
    const spec = reresolveSpec(simDev, cluster, { set });
    expect(spec.kubernetesVersion).toBe('1.34');
    expect(spec.nodePools.map((p) => p.kubernetesVersion ?? spec.kubernetesVersion)).toEqual(['1.34', '1.34']);
  });

  it('keeps a pool that runs behind the control plane at its own version', () => {
    const cluster = upgraded();
    cluster.spec.nodePools[1] = { ...cluster.spec.nodePools[1]!, kubernetesVersion: '1.33' };
    const spec = reresolveSpec(simDev, cluster, { set: { deletionProtection: 'true' } });
    expect(spec.nodePools.map((p) => [p.name, p.kubernetesVersion])).toEqual([['general', undefined], ['batch', '1.33']]);
  });

  it('keeps the running version when a stale stored version override would take it back', () => {
    const cluster = upgraded(simDev, { kubernetesVersion: '1.33' });
    expect(reresolveSpec(simDev, cluster, { set: { deletionProtection: 'true' } }).kubernetesVersion).toBe('1.34');
  });

  it('applies the other changes of the request', () => {
    const spec = reresolveSpec(simDev, upgraded(), { set: { 'nodePools.general.desiredSize': '4', deletionProtection: 'true' } });
    expect(spec.nodePools[0]!.desiredSize).toBe(4);
    expect(spec.deletionProtection).toBe(true);
  });

  it('accepts the running version named again (no change)', () => {
    expect(reresolveSpec(simDev, upgraded(), { set: { kubernetesVersion: '1.34' } }).kubernetesVersion).toBe('1.34');
  });

  it('refuses a downgrade with the upgrade planner reason and a hint naming `kaas clusters upgrade`', () => {
    const err = refusal(() => reresolveSpec(simDev, upgraded(), { set: { kubernetesVersion: '1.33' } }));
    expect(err.code).toBe('PRECONDITION_FAILED');
    expect(err.message).toMatch(/kubernetesVersion 1\.34 → 1\.33/);
    expect(err.message).toMatch(/1\.33 is older than the current 1\.34; downgrades are not supported/);
    expect(err.hint).toContain('kaas clusters upgrade web --to 1.33');
    expect(err.issues).toEqual([expect.objectContaining({ path: 'kubernetesVersion' })]);
  });

  it('refuses a version the template default equals (explicitly named, not silently ignored)', () => {
    // the template says 1.33; the cluster runs 1.34: naming 1.33 is a downgrade request
    const cluster = upgraded(simDev, {});
    expect(refusal(() => reresolveSpec(simDev, cluster, { set: { kubernetesVersion: '1.33' } })).code).toBe('PRECONDITION_FAILED');
  });

  it('refuses a multi-minor jump: upgrades go through the planner, one minor at a time', () => {
    const old = { ...upgraded(), spec: { ...upgraded().spec, kubernetesVersion: '1.29' } };
    const err = refusal(() => reresolveSpec(simDev, old, { set: { kubernetesVersion: '1.34' } }));
    expect(err.code).toBe('PRECONDITION_FAILED');
    expect(err.message).toMatch(/kubernetesVersion 1\.29 → 1\.34/);
    expect(err.hint).toContain('kaas clusters upgrade web --to 1.34');
  });

  it('refuses a version change made through a template parameter', () => {
    const cluster = upgraded(withVersionParam, {});
    const err = refusal(() => reresolveSpec(withVersionParam, cluster, { set: { k8s: '1.32' } }));
    expect(err.code).toBe('PRECONDITION_FAILED');
    expect(err.message).toMatch(/kubernetesVersion 1\.34 → 1\.32/);
  });

  it.each([['nodePools.batch.kubernetesVersion'], ['nodePools.1.kubernetesVersion']])('refuses a node-pool version change (%s)', (path) => {
    const err = refusal(() => reresolveSpec(withVersionParam, upgraded(withVersionParam, {}), { set: { [path]: '1.33' } }));
    expect(err.code).toBe('PRECONDITION_FAILED');
    expect(err.message).toMatch(/nodePools\.batch\.kubernetesVersion 1\.34 → 1\.33/);
    expect(err.issues).toEqual([expect.objectContaining({ path: 'nodePools.batch.kubernetesVersion' })]);
    expect(err.hint).toContain('kaas clusters upgrade web');
  });

  it('still refuses overrides the template does not accept, naming the field', () => {
    expect(() => reresolveSpec(simDev, upgraded(), { set: { nodeCount: '9' } })).toThrow(expect.objectContaining({ code: 'VALIDATION', message: expect.stringContaining('nodeCount') }));
  });
});
