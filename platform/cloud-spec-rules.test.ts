import { describe, expect, it } from 'vitest';
import type { ClusterSpec } from './cluster-spec.ts';
import { apiServerAccessIssues } from './cloud-spec-rules.ts';

function spec(cloud: ClusterSpec['target']['cloud'], authorizedCidrs: string[], privateEndpoint: boolean): ClusterSpec {
  return {
    name: 'c', team: 't', target: { name: 'x', cloud, region: 'r', account: 'a', dnsZones: [] }, kubernetesVersion: '1.33',
    nodePools: [], addons: {}, tags: {}, deletionProtection: false,
    networking: { authorizedCidrs, privateEndpoint, publicNodeIps: false, vpc: { mode: 'create', cidr: '10.0.0.0/16' } },
  } as ClusterSpec;
}

// https://learn.microsoft.com/azure/aks/api-server-authorized-ip-ranges: an empty range list
// disables the restriction on AKS; on EKS / GKE an empty list allows no public source.
describe('apiServerAccessIssues', () => {
  it('refuses only a public AKS API server without authorised CIDRs', () => {
    expect(apiServerAccessIssues(spec('azure', [], false)).map((i) => i.path)).toEqual(['networking.authorizedCidrs']);
    expect(apiServerAccessIssues(spec('azure', [], true))).toEqual([]);
    expect(apiServerAccessIssues(spec('azure', ['203.0.113.0/24'], false))).toEqual([]);
    for (const cloud of ['aws', 'gcp', 'sim'] as const) expect(apiServerAccessIssues(spec(cloud, [], false)), cloud).toEqual([]);
  });
});

// azure-native@3.28.0 ManagedClusterAPIServerAccessProfile.authorizedIPRanges: "This feature is not
// compatible with clusters that use Public IP Per Node"; learn.microsoft.com/azure/aks/api-server-authorized-ip-ranges
// (limitations): node pools with public IPs must use public IP prefixes added as authorised ranges,
// which the program does not create. Nodes with their own public IPs could not reach the API server.
describe('apiServerAccessIssues: AKS public node IPs', () => {
  it('refuses public node IPs with authorised ranges on a public AKS API server', () => {
    const s = spec('azure', ['203.0.113.0/24'], false);
    s.networking.publicNodeIps = true;
    expect(apiServerAccessIssues(s).map((i) => i.path)).toEqual(['networking.publicNodeIps']);
    s.networking.privateEndpoint = true; // authorised ranges do not apply to private clusters
    expect(apiServerAccessIssues(s)).toEqual([]);
    const eks = spec('aws', ['203.0.113.0/24'], false);
    eks.networking.publicNodeIps = true;
    expect(apiServerAccessIssues(eks)).toEqual([]);
  });
});
