/** Specs used by the stack tests: a "standard" and a "production" spec per managed cloud. */
import type { ClusterIdentity, ClusterSpec, NodePoolSpec } from '../../platform/cluster-spec.ts';

export const identity: ClusterIdentity = { clusterId: 'c0ffee42' };

const ALL_ADDONS = {
  calico: { enabled: true, values: {} },
  'external-dns': { enabled: true, values: { policy: 'sync' } },
  ingress: { enabled: true, values: {} },
  fluentd: { enabled: true, values: { logRetentionDays: 14 } },
  prometheus: { enabled: true, values: { retention: '10d', storageSizeGi: 100 } },
};

const TARGET = {
  aws: { name: 'aws-prod', cloud: 'aws', region: 'eu-west-1', account: '123456789012', dnsZones: ['apps.example.com', 'example.org'] },
  gcp: { name: 'gcp-prod', cloud: 'gcp', region: 'europe-west1', account: 'kaas-project', dnsZones: ['apps.example.com'] },
  azure: { name: 'azure-prod', cloud: 'azure', region: 'westeurope', account: '00000000-0000-0000-0000-000000000001', dnsZones: ['apps.example.com'] },
} as const;

const MACHINE = { aws: ['m6i.large', 'm6i.2xlarge'], gcp: ['e2-standard-4', 'n2-standard-8'], azure: ['Standard_D4s_v5', 'Standard_D8s_v5'] } as const;

function pools(cloud: keyof typeof MACHINE): NodePoolSpec[] {
  return [
    { name: 'system', machineType: MACHINE[cloud][0], minSize: 2, maxSize: 4, desiredSize: 3, labels: { role: 'system' }, taints: [] },
    {
      name: 'batch',
      machineType: MACHINE[cloud][1],
      minSize: 0,
      maxSize: 10,
      desiredSize: 1,
      labels: { role: 'batch', 'workload-class': 'spot-ok' },
      taints: [{ key: 'dedicated', value: 'batch', effect: 'NoSchedule' }],
    },
  ];
}

/** `<cloud>-standard`: created network, public API limited to two CIDRs, every addon on. */
export function standardSpec(cloud: 'aws' | 'gcp' | 'azure'): ClusterSpec {
  return {
    name: `${cloud}-std`,
    team: 'payments',
    target: { ...TARGET[cloud], dnsZones: [...TARGET[cloud].dnsZones] },
    kubernetesVersion: cloud === 'aws' ? '1.33' : '1.34',
    nodePools: pools(cloud),
    addons: structuredClone(ALL_ADDONS),
    networking: {
      authorizedCidrs: ['203.0.113.0/24', '198.51.100.7/32'],
      privateEndpoint: false,
      publicNodeIps: false,
      vpc: { mode: 'create', cidr: '10.40.0.0/16' },
    },
    tags: { 'cost-center': 'cc-1234' },
    deletionProtection: false,
  };
}

/** `<cloud>-production`: private endpoint, no public node IPs, network policy on, existing network. */
export function productionSpec(cloud: 'aws' | 'gcp' | 'azure'): ClusterSpec {
  const spec = standardSpec(cloud);
  return {
    ...spec,
    name: `${cloud}-prod`,
    networking: {
      authorizedCidrs: ['10.0.0.0/8'],
      privateEndpoint: true,
      publicNodeIps: false,
      vpc: { mode: 'existing', networkId: 'net-existing', subnetIds: ['subnet-a', 'subnet-b'] },
    },
    deletionProtection: true,
  };
}
