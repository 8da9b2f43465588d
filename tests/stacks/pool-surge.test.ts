/**
 * Surge settings per pool (`nodePools[].surge`) reach each cloud's own fields, and a blue-green
 * pool's kept generation is a second cloud pool (Pulumi mocks). Field names and types from the
 * provider schemas installed here:
 * - @pulumi/aws@7.48.0 types/input.d.ts `eks.NodeGroupUpdateConfig`: maxUnavailable,
 *   maxUnavailablePercentage (numbers; no maxSurge, no drain timeout) — AWS API
 *   https://docs.aws.amazon.com/eks/latest/APIReference/API_NodegroupUpdateConfig.html;
 * - @pulumi/gcp@9.37.0 types/input.d.ts `container.NodePoolUpgradeSettings`: strategy, maxSurge,
 *   maxUnavailable (numbers) — https://cloud.google.com/kubernetes-engine/docs/concepts/node-pool-upgrade-strategies;
 * - @pulumi/azure-native@3.28.0 types/input.d.ts `containerservice.AgentPoolUpgradeSettingsArgs`:
 *   maxSurge, maxUnavailable (strings: a count or a percentage), drainTimeoutInMinutes (number) —
 *   https://learn.microsoft.com/azure/aks/upgrade-aks-cluster#customize-node-surge-upgrade.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { ClusterSpec } from '../../platform/cluster-spec.ts';
import { DomainError } from '../../platform/errors.ts';
import { aksProgram } from '../../stacks/aks/index.ts';
import { eksProgram } from '../../stacks/eks/index.ts';
import { gkeProgram } from '../../stacks/gke/index.ts';
import { identity, standardSpec } from './fixtures.ts';
import { installMocks, runProgram } from './mock-harness.ts';

const mocks = installMocks();

/** `standardSpec(cloud)` with `surge` on the batch pool, which is blue-green with a kept generation. */
function withSurge(cloud: 'aws' | 'gcp' | 'azure', surge: NonNullable<ClusterSpec['nodePools'][number]['surge']>): ClusterSpec {
  const spec = standardSpec(cloud);
  const batch = spec.nodePools[1]!;
  spec.nodePools[1] = { ...batch, surge, upgradeStrategy: 'blue-green', generation: 2, standby: { generation: 1, kubernetesVersion: '1.32', desiredSize: 1, minSize: 0, phase: 'scaled-down', keepUntil: '2026-12-03T00:00:00.000Z' } };
  return spec;
}

describe('surge settings per pool, mapped to each cloud (mocks)', () => {
  beforeEach(() => mocks.reset());

  it('EKS: maxUnavailable as a count or a percentage in updateConfig; defaults to a third', async () => {
    await runProgram(eksProgram(withSurge('aws', { maxUnavailable: 2 }), identity, { platformAdminRoleArn: 'arn:aws:iam::123456789012:role/admin' }), mocks);
    expect(mocks.one('aws:eks/nodeGroup:NodeGroup', 'batch-g2').inputs.updateConfig).toEqual({ maxUnavailable: 2 });
    expect(mocks.one('aws:eks/nodeGroup:NodeGroup', 'system').inputs.updateConfig).toEqual({ maxUnavailablePercentage: 33 });
    // the kept generation is its own node group at its old version, its name the pool's
    const old = mocks.one('aws:eks/nodeGroup:NodeGroup', 'batch').inputs;
    expect(old).toMatchObject({ nodeGroupName: 'batch', version: '1.32', scalingConfig: { minSize: 0, maxSize: 10, desiredSize: 0 } });
    expect(old.labels['kaas.io/node-pool']).toBe('batch');
    mocks.reset();
    await runProgram(eksProgram(withSurge('aws', { maxUnavailable: '25%' }), identity, { platformAdminRoleArn: 'arn:aws:iam::123456789012:role/admin' }), mocks);
    expect(mocks.one('aws:eks/nodeGroup:NodeGroup', 'batch-g2').inputs.updateConfig).toEqual({ maxUnavailablePercentage: 25 });
  });

  it('EKS: refuses maxSurge and a drain timeout, which EKS has no field for', () => {
    let error: unknown;
    try {
      eksProgram(withSurge('aws', { maxSurge: 1, drainTimeoutMinutes: 10 }), identity, { platformAdminRoleArn: 'arn:aws:iam::123456789012:role/admin' });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).issues.map((i) => i.path)).toEqual(['nodePools.1.surge.maxSurge', 'nodePools.1.surge.drainTimeoutMinutes']);
    expect((error as DomainError).message).toMatch(/EKS managed node groups have no maxSurge/);
  });

  it('GKE: maxSurge and maxUnavailable as node counts in upgradeSettings; defaults 1 and 0', async () => {
    await runProgram(gkeProgram(withSurge('gcp', { maxSurge: 3, maxUnavailable: 1 }), identity), mocks);
    expect(mocks.one('gcp:container/nodePool:NodePool', 'batch-g2').inputs.upgradeSettings).toEqual({ strategy: 'SURGE', maxSurge: 3, maxUnavailable: 1 });
    expect(mocks.one('gcp:container/nodePool:NodePool', 'system').inputs.upgradeSettings).toEqual({ strategy: 'SURGE', maxSurge: 1, maxUnavailable: 0 });
    // the kept generation, scaled down: nodeCount 0, no autoscaling (tests/stacks/standby-scale-zero.test.ts)
    expect(mocks.one('gcp:container/nodePool:NodePool', 'batch').inputs).toMatchObject({ name: 'batch', initialNodeCount: 0, nodeCount: 0 });
  });

  it('GKE: refuses percentages and a drain timeout', () => {
    expect(() => gkeProgram(withSurge('gcp', { maxSurge: '50%', drainTimeoutMinutes: 5 }), identity)).toThrow(/GKE takes a node count, not a percentage \(got 50%\).*GKE node pools have no drain timeout/);
  });

  it('AKS: maxSurge, maxUnavailable and drainTimeoutInMinutes in upgradeSettings; defaults to 33% surge', async () => {
    await runProgram(aksProgram(withSurge('azure', { maxSurge: '50%', maxUnavailable: 1, drainTimeoutMinutes: 45 }), identity, { adminGroupObjectIds: ['group-admins'], dnsResourceGroup: 'dns-rg' }), mocks);
    const pools = mocks.ofType('azure-native:containerservice:AgentPool');
    expect(pools.map((p) => p.inputs.agentPoolName).sort()).toEqual(['batch', 'batchg2']);
    expect(mocks.one('azure-native:containerservice:AgentPool', 'batch-g2').inputs.upgradeSettings).toEqual({ maxSurge: '50%', maxUnavailable: '1', drainTimeoutInMinutes: 45 });
    expect(mocks.one('azure-native:containerservice:AgentPool', 'batch').inputs).toMatchObject({ orchestratorVersion: '1.32', count: 0, enableAutoScaling: false });
    expect(mocks.one('azure-native:containerservice:ManagedCluster', 'kaas-c0ffee42').inputs.agentPoolProfiles[0].upgradeSettings).toEqual({ maxSurge: '33%' });
  });

  it('AKS: refuses blue-green on the system pool, which is part of the managed cluster', () => {
    const spec = standardSpec('azure');
    spec.nodePools[0] = { ...spec.nodePools[0]!, upgradeStrategy: 'blue-green' };
    expect(() => aksProgram(spec, identity, { adminGroupObjectIds: ['group-admins'], dnsResourceGroup: 'dns-rg' })).toThrow(/is the AKS system pool, which is part of the managed cluster and cannot be upgraded blue-green/);
  });
});
