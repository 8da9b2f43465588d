import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseTemplate, resolveTemplate } from './templates.ts';
import { rolloutChanges, rolloutSpec } from './template-rollout.ts';

const yaml = fs.readFileSync(new URL('../templates/sim-dev.yaml', import.meta.url), 'utf8');
const v1 = parseTemplate(yaml);
const v2 = { ...parseTemplate(yaml.replace('kubernetesVersion: "1.33"', 'kubernetesVersion: "1.32"').replace('env: dev', 'env: development')), version: 2 };
const target = { name: 'sim-local', cloud: 'sim' as const, region: 'local', account: 'local', dnsZones: [] };
const running = (overrides: Record<string, string>) => {
  const spec = resolveTemplate(v1, { name: 'web', team: 't', target, overrides });
  return { name: 'web', spec: { ...spec, kubernetesVersion: '1.34', nodePools: spec.nodePools.map((p) => ({ ...p, kubernetesVersion: '1.34' })) }, overrides, target };
};

describe('template rollout', () => {
  it('keeps the running Kubernetes versions and the overrides, and reports only the template changes', () => {
    const cluster = running({ nodeCount: '3' });
    const spec = rolloutSpec(v2, cluster);
    expect(spec.kubernetesVersion).toBe('1.34');
    expect(spec.nodePools.map((p) => [p.name, p.kubernetesVersion, p.desiredSize])).toEqual([['general', '1.34', 3], ['batch', '1.34', 0]]);
    expect(rolloutChanges(v2, cluster)).toEqual([
      { path: 'tags.env', from: 'dev', to: 'development' },
      { path: 'template', from: 'sim-dev@1', to: 'sim-dev@2' },
    ]);
  });

  it('throws VALIDATION naming overrides the new version does not accept', () => {
    expect(() => rolloutSpec(v2, { ...running({}), overrides: { nodeCount: '9' } })).toThrow(expect.objectContaining({ code: 'VALIDATION', message: expect.stringContaining('nodeCount') }));
  });
});
