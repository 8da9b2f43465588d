/** Every shipped template parses and resolves, with no overrides, to a valid spec. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { TargetRef } from '../platform/cluster-spec.ts';
import { parseTemplate, resolveTemplate } from '../platform/templates.ts';

const dir = join(import.meta.dirname, '..', 'templates');
const files = readdirSync(dir).filter((f) => f.endsWith('.yaml'));
const load = (file: string) => parseTemplate(readFileSync(join(dir, file), 'utf8'), `templates/${file}`);

function targetFor(cloud: TargetRef['cloud']): TargetRef {
  return { name: `${cloud}-main`, cloud, region: 'region-1', account: 'acct-1', dnsZones: ['apps.example.com'] };
}

describe('shipped templates', () => {
  it('include the documented set', () => {
    expect(files.sort()).toEqual(
      ['aks-production', 'aks-standard', 'eks-production', 'eks-standard', 'gke-production', 'gke-standard', 'sim-dev'].map((n) => `${n}.yaml`),
    );
  });

  it.each(files)('%s parses and resolves with no overrides', (file) => {
    const template = load(file);
    expect(`${template.name}.yaml`).toBe(file);
    const spec = resolveTemplate(template, { name: 'demo', team: 'payments', target: targetFor(template.cloud), overrides: {} });
    expect(spec).toMatchObject({ name: 'demo', team: 'payments', template: `${template.name}@${template.version}` });
    expect(spec.tags.team).toBe('payments');
  });

  it.each(files.filter((f) => f.includes('production')))('%s has secure defaults', (file) => {
    const template = load(file);
    const spec = resolveTemplate(template, { name: 'demo', team: 'payments', target: targetFor(template.cloud) });
    expect(spec.networking.privateEndpoint || spec.networking.authorizedCidrs.length > 0).toBe(true);
    expect(spec.networking.authorizedCidrs).not.toContain('0.0.0.0/0');
    expect(spec.networking.publicNodeIps).toBe(false);
    expect(spec.addons.calico?.enabled).toBe(true);
    expect(spec.deletionProtection).toBe(true);
    expect(template.overridable).not.toContain('deletionProtection');
    expect(template.overridable.some((p) => p.startsWith('networking'))).toBe(false);
  });
});
