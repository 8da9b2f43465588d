/**
 * After a blue-green drain, the kept (old) generation is scaled to zero nodes by each cloud's own
 * size field, not left to the autoscaler with min 0 (Pulumi mocks). The programs set the size and
 * do not ignore changes to it for a cordoned kept generation (`ignoreChanges` is recorded from the
 * SDK's request to the engine, tests/stacks/mock-harness.ts): with the size field ignored, Pulumi
 * never sends 0 to the cloud. Documented values:
 * - EKS: NodegroupScalingConfig minSize and desiredSize are `ZeroCapacity` (0 allowed), maxSize is
 *   `Capacity` (at least 1); "Whenever this parameter [desiredSize] changes, the number of worker
 *   nodes in the node group is updated to the specified size"
 *   (https://docs.aws.amazon.com/eks/latest/APIReference/API_NodegroupScalingConfig.html;
 *   @pulumi/aws@7.48.0 types/input.d.ts `eks.NodeGroupScalingConfig`: desiredSize, maxSize, minSize).
 * - GKE: `nodeCount` is "the number of nodes per instance group … can be used to update the number
 *   of nodes … but should not be used alongside autoscaling" (@pulumi/gcp@9.37.0
 *   container/nodePool.d.ts), so the kept generation has no autoscaling block and nodeCount 0; a
 *   pool may be resized to 0 nodes, the size being per zone
 *   (https://cloud.google.com/sdk/gcloud/reference/container/clusters/resize,
 *   https://cloud.google.com/kubernetes-engine/docs/resize-cluster).
 * - AKS: user pools (mode User) can be scaled to 0, system pools cannot
 *   (https://learn.microsoft.com/azure/aks/scale-cluster#scale-user-node-pools-to-0); a manual
 *   count needs the cluster autoscaler off on the pool, with no min/max
 *   (https://learn.microsoft.com/azure/aks/scale-node-pools; @pulumi/azure-native@3.28.0
 *   containerservice AgentPool: count, enableAutoScaling, minCount, maxCount). The system pool is
 *   never blue-green on AKS (stacks/aks/agent-pool.ts `assertSystemPoolSurge`), so it never has a
 *   kept generation to scale.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { ClusterSpec, StandbyPool } from '../../platform/cluster-spec.ts';
import { aksProgram } from '../../stacks/aks/index.ts';
import { eksProgram } from '../../stacks/eks/index.ts';
import { gkeProgram } from '../../stacks/gke/index.ts';
import { identity, standardSpec } from './fixtures.ts';
import { installMocks, runProgram } from './mock-harness.ts';

const mocks = installMocks();

/** `standardSpec(cloud)` with the batch pool blue-green at generation 2, its generation 1 kept in `phase`. */
function keptGeneration(cloud: 'aws' | 'gcp' | 'azure', phase: StandbyPool['phase']): ClusterSpec {
  const spec = standardSpec(cloud);
  const batch = spec.nodePools[1]!;
  const standby: StandbyPool = { generation: 1, kubernetesVersion: '1.33', desiredSize: 4, minSize: 2, phase, ...(phase === 'scaled-down' ? { keepUntil: '2026-12-03T00:00:00.000Z' } : {}) };
  spec.nodePools[1] = { ...batch, minSize: 2, desiredSize: 4, maxSize: 10, upgradeStrategy: 'blue-green', generation: 2, standby };
  return spec;
}

const EKS = 'aws:eks/nodeGroup:NodeGroup';
const GKE = 'gcp:container/nodePool:NodePool';
const AKS = 'azure-native:containerservice:AgentPool';

describe('the kept generation of a blue-green pool is scaled to zero by the cloud (mocks)', () => {
  beforeEach(() => mocks.reset());

  it('EKS: desiredSize 0 and minSize 0 reach the node group (not ignored); maxSize stays ≥ 1; every node group\'s size is kaas\'s', async () => {
    await runProgram(eksProgram(keptGeneration('aws', 'scaled-down'), identity, { platformAdminRoleArn: 'arn:aws:iam::123456789012:role/admin' }), mocks);
    const old = mocks.one(EKS, 'batch');
    expect(old.inputs.scalingConfig).toEqual({ minSize: 0, desiredSize: 0, maxSize: 10 });
    expect(old.ignoreChanges).not.toContain('scalingConfig.desiredSize');
    // no autoscaler runs on EKS: kaas owns every node group's size (tests/stacks/hibernated-pools.test.ts)
    expect(mocks.one(EKS, 'batch-g2').ignoreChanges).not.toContain('scalingConfig.desiredSize');
    expect(mocks.one(EKS, 'system').ignoreChanges).not.toContain('scalingConfig.desiredSize');
  });

  it('EKS: a restored (cordoned) kept generation gets its recorded size back the same way', async () => {
    await runProgram(eksProgram(keptGeneration('aws', 'cordoned'), identity, { platformAdminRoleArn: 'arn:aws:iam::123456789012:role/admin' }), mocks);
    const old = mocks.one(EKS, 'batch');
    expect(old.inputs.scalingConfig).toEqual({ minSize: 2, desiredSize: 4, maxSize: 10 });
    expect(old.ignoreChanges).not.toContain('scalingConfig.desiredSize');
  });

  it('EKS: a kept generation still serving keeps its recorded size', async () => {
    await runProgram(eksProgram(keptGeneration('aws', 'serving'), identity, { platformAdminRoleArn: 'arn:aws:iam::123456789012:role/admin' }), mocks);
    expect(mocks.one(EKS, 'batch').inputs.scalingConfig).toEqual({ minSize: 2, desiredSize: 4, maxSize: 10 });
  });

  it('GKE: nodeCount 0 without autoscaling on the kept generation; the current one keeps autoscaling', async () => {
    await runProgram(gkeProgram(keptGeneration('gcp', 'scaled-down'), identity), mocks);
    const old = mocks.one(GKE, 'batch');
    expect(old.inputs.nodeCount).toBe(0);
    expect(old.inputs.autoscaling).toBeUndefined();
    expect(old.ignoreChanges).not.toContain('nodeCount');
    const current = mocks.one(GKE, 'batch-g2').inputs;
    expect(current.autoscaling).toMatchObject({ totalMinNodeCount: 2, totalMaxNodeCount: 10 });
    expect(current.nodeCount).toBeUndefined();
  });

  it('GKE: a restored kept generation gets its size back per zone (4 nodes over 3 zones: 2 per zone)', async () => {
    await runProgram(gkeProgram(keptGeneration('gcp', 'cordoned'), identity), mocks);
    expect(mocks.one(GKE, 'batch').inputs.nodeCount).toBe(2);
  });

  it('AKS: count 0 with the autoscaler off on the kept user pool, not ignored; the current pool stays autoscaled', async () => {
    await runProgram(aksProgram(keptGeneration('azure', 'scaled-down'), identity, { adminGroupObjectIds: ['group-admins'], dnsResourceGroup: 'dns-rg' }), mocks);
    const old = mocks.one(AKS, 'batch');
    expect(old.inputs).toMatchObject({ mode: 'User', count: 0, enableAutoScaling: false });
    expect(old.inputs.minCount).toBeUndefined();
    expect(old.inputs.maxCount).toBeUndefined();
    expect(old.ignoreChanges).not.toContain('count');
    const current = mocks.one(AKS, 'batch-g2');
    expect(current.inputs).toMatchObject({ mode: 'User', enableAutoScaling: true, minCount: 2, maxCount: 10 });
    expect(current.ignoreChanges).toContain('count');
  });
});
