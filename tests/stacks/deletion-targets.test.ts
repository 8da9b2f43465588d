import { describe, expect, it } from 'vitest';
import { DELETION_STAGES } from '../../platform/deletion-order.ts';
import { deletionTargets } from '../../stacks/deletion-targets.ts';
import { urnName } from '../../stacks/engine/urn.ts';

const urn = (type: string, name: string) => `urn:pulumi:s::kaas::${type}::${name}`;
const sim = [
  { urn: urn('pulumi:pulumi:Stack', 'kaas-s'), type: 'pulumi:pulumi:Stack' },
  { urn: urn('kaas:sim:Cluster', 'demo'), type: 'kaas:sim:Cluster' },
  { urn: urn('kaas-sim:index:SimCluster', 'control-plane'), type: 'kaas-sim:index:SimCluster' },
  { urn: urn('kaas-sim:index:SimNodePool', 'pool-general'), type: 'kaas-sim:index:SimNodePool' },
  { urn: urn('kaas-sim:index:SimAddonRelease', 'addon-ingress'), type: 'kaas-sim:index:SimAddonRelease' },
  { urn: urn('kaas-sim:index:SimAddonRelease', 'addon-prometheus'), type: 'kaas-sim:index:SimAddonRelease' },
];
const eks = [
  { urn: urn('kaas:addons:ExternalDns', 'external-dns'), type: 'kaas:addons:ExternalDns' },
  { urn: urn('kubernetes:helm.sh/v3:Release', 'external-dns'), type: 'kubernetes:helm.sh/v3:Release', parent: urn('kaas:addons:ExternalDns', 'external-dns') },
  { urn: urn('aws:iam/role:Role', 'external-dns-irsa'), type: 'aws:iam/role:Role', parent: urn('kubernetes:helm.sh/v3:Release', 'external-dns') },
  { urn: urn('aws:eks/nodeGroup:NodeGroup', 'general'), type: 'aws:eks/nodeGroup:NodeGroup' },
];
const names = (urns: string[]) => urns.map(urnName);
const [controller, addons, pools] = DELETION_STAGES;

describe('deletion targets', () => {
  it('picks each stage from the sim state', () => {
    expect(names(deletionTargets(controller!, sim))).toEqual(['addon-ingress']);
    expect(names(deletionTargets(addons!, sim))).toEqual(['addon-ingress', 'addon-prometheus']);
    expect(names(deletionTargets(pools!, sim))).toEqual(['pool-general']);
  });

  it('takes a managed-cloud addon component with all its descendants', () => {
    expect(names(deletionTargets(controller!, eks))).toEqual(['external-dns', 'external-dns', 'external-dns-irsa']);
    expect(names(deletionTargets(pools!, eks))).toEqual(['general']);
  });
});
