import { describe, expect, it } from 'vitest';
import { apiEndpointReachability, type WorkerNetwork } from './api-endpoint-reachability.ts';
import type { NetworkingSpec } from './cluster-spec.ts';

const net = (over: Partial<NetworkingSpec> = {}): NetworkingSpec => ({ authorizedCidrs: ['203.0.113.0/24'], privateEndpoint: false, publicNodeIps: false, vpc: { mode: 'create', cidr: '10.20.0.0/16' }, ...over });
const outside: WorkerNetwork = { egressCidrs: ['198.51.100.7/32'], privateNetworks: [] };
const inside: WorkerNetwork = { egressCidrs: ['203.0.113.9/32'], privateNetworks: [] };
const unknown: WorkerNetwork = { egressCidrs: undefined, privateNetworks: [] };
const existing = { mode: 'existing' as const, networkId: 'vpc-0abc', subnetIds: ['subnet-1'] };

describe('apiEndpointReachability', () => {
  it.each(['aws', 'gcp', 'azure'] as const)('%s: a public endpoint admitting the worker egress is reachable; one that does not names the CIDR to add', (cloud) => {
    expect(apiEndpointReachability(cloud, net(), inside)).toMatchObject({ verdict: 'reachable', via: 'public' });
    const r = apiEndpointReachability(cloud, net(), outside);
    expect(r).toMatchObject({ verdict: 'unreachable', field: 'networking.authorizedCidrs' });
    expect(r.verdict !== 'reachable' && r.fix).toMatch(/add 198\.51\.100\.7\/32 to networking\.authorizedCidrs/);
  });

  it('every egress address must be admitted (a worker may leave through any of its NAT gateways)', () => {
    const r = apiEndpointReachability('aws', net(), { egressCidrs: ['203.0.113.9/32', '198.51.100.7/32'], privateNetworks: [] });
    expect(r.verdict).toBe('unreachable');
    expect(r.verdict !== 'reachable' && r.fix).toMatch(/^add 198\.51\.100\.7\/32 to/);
    // containment, not equality: a /32 inside a /24, a /24 not inside a /32
    expect(apiEndpointReachability('aws', net({ authorizedCidrs: ['203.0.113.9/32'] }), { egressCidrs: ['203.0.113.0/24'], privateNetworks: [] }).verdict).toBe('unreachable');
    expect(apiEndpointReachability('aws', net({ authorizedCidrs: ['0.0.0.0/0'] }), outside).verdict).toBe('reachable');
  });

  it('without the worker egress configured a restricted public endpoint is unknown, with the setting to configure', () => {
    const r = apiEndpointReachability('gcp', net(), unknown);
    expect(r.verdict).toBe('unknown');
    expect(r.verdict !== 'reachable' && r.fix).toMatch(/KAAS_WORKER_EGRESS_CIDRS/);
  });

  it.each(['aws', 'gcp', 'azure'] as const)('%s: a private endpoint is unreachable from outside the network, whatever the egress', (cloud) => {
    for (const w of [outside, inside, unknown]) {
      const r = apiEndpointReachability(cloud, net({ privateEndpoint: true }), w);
      expect(r).toMatchObject({ verdict: 'unreachable', field: 'networking.privateEndpoint' });
      expect(r.verdict !== 'reachable' && r.fix).toMatch(/workerNetworks/);
    }
  });

  it.each(['aws', 'gcp', 'azure'] as const)('%s: a private endpoint in an existing network the worker runs in is reachable; a created network never is', (cloud) => {
    expect(apiEndpointReachability(cloud, net({ privateEndpoint: true, vpc: existing }), { ...unknown, privateNetworks: ['vpc-0abc'] })).toMatchObject({ verdict: 'reachable', via: 'private' });
    expect(apiEndpointReachability(cloud, net({ privateEndpoint: true, vpc: existing }), { ...unknown, privateNetworks: ['vpc-other'] }).verdict).toBe('unreachable');
    expect(apiEndpointReachability(cloud, net({ privateEndpoint: true }), { ...unknown, privateNetworks: ['vpc-0abc'] }).verdict).toBe('unreachable');
  });

  it('an empty authorizedCidrs with a public endpoint means no public access on EKS and GKE, but every address on AKS', () => {
    // EKS: endpointPublicAccess is off without CIDRs (stacks/eks/cluster.ts); GKE: authorised
    // networks with no blocks admit no external address
    for (const cloud of ['aws', 'gcp'] as const) {
      const r = apiEndpointReachability(cloud, net({ authorizedCidrs: [] }), inside);
      expect(r).toMatchObject({ verdict: 'unreachable', field: 'networking.authorizedCidrs' });
      expect(r.verdict !== 'reachable' && r.fix).toMatch(/add 203\.0\.113\.9\/32 to networking\.authorizedCidrs/);
    }
    // AKS: an empty authorizedIPRanges admits everyone (https://learn.microsoft.com/azure/aks/api-server-authorized-ip-ranges)
    expect(apiEndpointReachability('azure', net({ authorizedCidrs: [] }), outside)).toMatchObject({ verdict: 'reachable', via: 'public' });
  });

  it('EKS keeps its private endpoint with a public one, so a worker in the existing network reaches it; AKS public clusters have none', () => {
    const w = { egressCidrs: ['198.51.100.7/32'], privateNetworks: ['vpc-0abc'] };
    expect(apiEndpointReachability('aws', net({ vpc: existing }), w)).toMatchObject({ verdict: 'reachable', via: 'private' });
    expect(apiEndpointReachability('azure', net({ vpc: existing }), w).verdict).toBe('unreachable');
  });

  it('sim has no API server to reach', () => {
    expect(apiEndpointReachability('sim', net({ privateEndpoint: true }), unknown).verdict).toBe('reachable');
  });
});
