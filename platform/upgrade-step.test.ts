import { describe, expect, it } from 'vitest';
import { addonRequirementsFor } from './addon-requirements.ts';
import type { ClusterSpec } from './cluster-spec.ts';
import { planUpgrade } from './upgrade-plan.ts';
import { applyUpgradeStep, describeUpgradeStep, isUpgradeStepDone } from './upgrade-step.ts';
import { DEFAULT_VERSION_RULES } from './version-policy.ts';

const spec: ClusterSpec = {
  name: 'demo',
  team: 'team-a',
  target: { name: 'sim-local', cloud: 'sim', region: 'local', account: 'local', dnsZones: [] },
  kubernetesVersion: '1.31',
  nodePools: [
    { name: 'a', machineType: 'sim.small', minSize: 1, maxSize: 1, desiredSize: 1, labels: {}, taints: [] },
    { name: 'b', machineType: 'sim.small', minSize: 1, maxSize: 1, desiredSize: 1, labels: {}, taints: [], kubernetesVersion: '1.30' },
  ],
  addons: { calico: { enabled: true, values: {} } },
  networking: { authorizedCidrs: [], privateEndpoint: false, publicNodeIps: false, vpc: { mode: 'create', cidr: '10.0.0.0/16' } },
  tags: {},
  deletionProtection: false,
};

describe('executing upgrade steps', () => {
  it('moves the control plane alone, then each pool, ending with pools following the control plane', () => {
    const plan = planUpgrade(spec, '1.32', DEFAULT_VERSION_RULES);
    const states = plan.steps.reduce<ClusterSpec[]>((acc, step) => [...acc, applyUpgradeStep(acc.at(-1)!, step)], [spec]);
    expect(plan.steps.map(describeUpgradeStep)).toEqual(['control plane 1.31 → 1.32', 'node pool a 1.31 → 1.32', 'node pool b 1.30 → 1.32']);
    expect(states[1]!.kubernetesVersion).toBe('1.32');
    expect(states[1]!.nodePools.map((p) => p.kubernetesVersion)).toEqual(['1.31', '1.30']);
    expect(states.at(-1)!.nodePools.map((p) => p.kubernetesVersion)).toEqual([undefined, undefined]);
    plan.steps.forEach((step, i) => {
      expect(isUpgradeStepDone(states[i]!, step)).toBe(false);
      expect(isUpgradeStepDone(states[i + 1]!, step)).toBe(true);
    });
  });

  it('derives addon requirements from the catalog for managed clouds only', () => {
    expect(addonRequirementsFor('sim')).toEqual([]);
    expect(addonRequirementsFor('aws')).toContainEqual({ addon: 'calico', version: 'v3.31.3', minKubernetes: '1.32', maxKubernetes: '1.35' });
    expect(addonRequirementsFor('gcp').some((r) => r.addon === 'calico')).toBe(false);
  });
});
