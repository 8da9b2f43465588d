/** A template declares a pool's upgrade strategy and surge settings (from parameters); blue-green state stays the platform's. */
import { describe, expect, it } from 'vitest';
import type { TargetRef } from './cluster-spec.ts';
import { parseTemplate, resolveTemplate } from './templates.ts';

const yaml = (pool: string) => `
name: pools
version: 1
description: Test template.
cloud: sim
parameters:
  maxSurge: { type: integer, default: 2, min: 0, max: 10, description: Surge nodes. }
  strategy: { type: string, default: blue-green, allowed: [surge, blue-green], description: Upgrade strategy. }
overridable: []
spec:
  kubernetesVersion: "1.33"
  upgrade: { rollbackWindowHours: 12 }
  nodePools:
    - { name: general, machineType: sim.small, minSize: 1, maxSize: 4, desiredSize: 1, ${pool} }
  networking: { authorizedCidrs: [], privateEndpoint: false, publicNodeIps: false, vpc: { mode: create, cidr: 10.1.0.0/16 } }
  tags: {}
  deletionProtection: false
`;
const target: TargetRef = { name: 'local', cloud: 'sim', region: 'local-1', account: 'local', dnsZones: [] };

describe('pool upgrade settings in templates', () => {
  it('takes the strategy and surge settings from template parameters', () => {
    const t = parseTemplate(yaml('upgradeStrategy: "${strategy}", surge: { maxSurge: "${maxSurge}", maxUnavailable: "10%", drainTimeoutMinutes: 20 }'), 'pools.yaml');
    const spec = resolveTemplate(t, { name: 'web', team: 'payments', target, overrides: {} });
    expect(spec.nodePools[0]).toMatchObject({ upgradeStrategy: 'blue-green', surge: { maxSurge: 2, maxUnavailable: '10%', drainTimeoutMinutes: 20 } });
    expect(spec.upgrade).toEqual({ rollbackWindowHours: 12 });
  });

  it.each(['generation: 3', 'standby: { generation: 1, kubernetesVersion: "1.32", desiredSize: 1, minSize: 1, phase: scaled-down }'])('refuses to publish a template with the platform-owned %s', (field) => {
    const text = yaml(`upgradeStrategy: "${'$'}{strategy}", surge: { maxSurge: "${'$'}{maxSurge}" }, ${field}`);
    expect(() => parseTemplate(text, 'pools.yaml')).toThrow(`spec.nodePools.0.${field.split(':')[0]}: is set by the platform during blue-green upgrades, never by a template or an override`);
  });
});
