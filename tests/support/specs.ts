/** ClusterSpecs for tests. */
import type { ClusterSpec } from '../../platform/cluster-spec.ts';

/** A small sim cluster: two node pools, two addons. */
export function simSpec(overrides: Partial<ClusterSpec> = {}): ClusterSpec {
  return {
    name: 'demo',
    team: 'team-a',
    target: { name: 'sim-local', cloud: 'sim', region: 'local', account: 'local', dnsZones: ['demo.sim.kaas.invalid'] },
    kubernetesVersion: '1.32',
    nodePools: [
      { name: 'system', machineType: 'sim.small', minSize: 1, maxSize: 3, desiredSize: 1, labels: { role: 'system' }, taints: [] },
      { name: 'apps', machineType: 'sim.medium', minSize: 1, maxSize: 5, desiredSize: 2, labels: {}, taints: [{ key: 'dedicated', value: 'apps', effect: 'NoSchedule' }] },
    ],
    addons: { calico: { enabled: true, values: {} }, prometheus: { enabled: true, values: { retention: '7d' } } },
    networking: { authorizedCidrs: ['10.0.0.0/8'], privateEndpoint: false, publicNodeIps: false, vpc: { mode: 'create', cidr: '10.10.0.0/16' } },
    tags: { env: 'test' },
    deletionProtection: false,
    ...overrides,
  };
}
