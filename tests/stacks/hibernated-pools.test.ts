/**
 * A hibernated cluster's programs remove every node (Pulumi mocks): the programs learn it from the
 * `hibernated` program option (stacks/program-for.ts, fed by the worker from the cluster row's
 * recorded sizes and the hibernate's / wake's flag, platform/cloud-hibernation.ts `runsHibernated`),
 * never from the spec. Documented behaviour relied on:
 * - EKS: kaas installs no cluster autoscaler (platform/addon-catalog.ts), so kaas owns the node
 *   group's size and `scalingConfig.desiredSize` is never in `ignoreChanges`: "Whenever this
 *   parameter changes, the number of worker nodes in the node group is updated to the specified
 *   size"; minSize and desiredSize may be 0 (ZeroCapacity), maxSize at least 1 (Capacity)
 *   (https://docs.aws.amazon.com/eks/latest/APIReference/API_NodegroupScalingConfig.html;
 *   @pulumi/aws@7.48.0 types/input.d.ts `eks.NodeGroupScalingConfig`: desiredSize, maxSize, minSize).
 * - GKE: the cluster autoscaler at min 0 does not remove the last node ("at least one node must
 *   always be available in the cluster to run system Pods",
 *   https://cloud.google.com/kubernetes-engine/docs/concepts/cluster-autoscaler), so a hibernated
 *   pool is a fixed `nodeCount` 0, which "can be used to update the number of nodes per instance
 *   group but should not be used alongside autoscaling" (@pulumi/gcp@9.37.0 container/nodePool.d.ts
 *   NodePoolArgs.nodeCount), with no `autoscaling` block; a pool may be resized to 0
 *   (https://cloud.google.com/kubernetes-engine/docs/how-to/resizing-a-cluster). Woken, the pool is
 *   the autoscaler's again, with the recorded total min/max (NodePoolAutoscaling totalMinNodeCount /
 *   totalMaxNodeCount).
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { ClusterSpec } from '../../platform/cluster-spec.ts';
import { withPoolSizes } from '../../platform/pool-sizes.ts';
import { eksProgram } from '../../stacks/eks/index.ts';
import { gkeProgram } from '../../stacks/gke/index.ts';
import { identity, standardSpec } from './fixtures.ts';
import { installMocks, runProgram } from './mock-harness.ts';

const mocks = installMocks();
const EKS = 'aws:eks/nodeGroup:NodeGroup';
const GKE = 'gcp:container/nodePool:NodePool';
const admin = { platformAdminRoleArn: 'arn:aws:iam::123456789012:role/admin' };
/** The spec a hibernate applies (api/clusters/cluster-lifetime.ts: every pool min 0 / desired 0). */
const asleep = (spec: ClusterSpec) => withPoolSizes(spec, 'zero');

describe('EKS: kaas owns the node groups\' size (no autoscaler runs)', () => {
  beforeEach(() => mocks.reset());

  it('a desiredSize change is applied, never ignored, on every node group', async () => {
    const spec = standardSpec('aws');
    spec.nodePools[1] = { ...spec.nodePools[1]!, desiredSize: 7 };
    await runProgram(eksProgram(spec, identity, admin), mocks);
    for (const pool of ['system', 'batch']) expect(mocks.one(EKS, pool).ignoreChanges).not.toContain('scalingConfig.desiredSize');
    expect(mocks.one(EKS, 'batch').inputs.scalingConfig).toEqual({ minSize: 0, desiredSize: 7, maxSize: 10 });
  });

  it('hibernated: every node group desiredSize 0 and minSize 0 (maxSize stays ≥ 1), not ignored', async () => {
    await runProgram(eksProgram(asleep(standardSpec('aws')), identity, { ...admin, hibernated: true }), mocks);
    expect(mocks.one(EKS, 'system').inputs.scalingConfig).toEqual({ minSize: 0, desiredSize: 0, maxSize: 4 });
    expect(mocks.one(EKS, 'batch').inputs.scalingConfig).toEqual({ minSize: 0, desiredSize: 0, maxSize: 10 });
    for (const pool of ['system', 'batch']) expect(mocks.one(EKS, pool).ignoreChanges).not.toContain('scalingConfig.desiredSize');
  });

  it('hibernated with a stale spec (a drift check reading sizes that are not 0): still 0', async () => {
    await runProgram(eksProgram(standardSpec('aws'), identity, { ...admin, hibernated: true }), mocks);
    expect(mocks.one(EKS, 'system').inputs.scalingConfig).toMatchObject({ minSize: 0, desiredSize: 0 });
  });
});

describe('GKE: a hibernated pool is a fixed 0, the autoscaler off; woken, autoscaled again', () => {
  beforeEach(() => mocks.reset());

  it('hibernated: nodeCount 0 and no autoscaling block on every pool', async () => {
    await runProgram(gkeProgram(asleep(standardSpec('gcp')), identity, { hibernated: true }), mocks);
    for (const pool of ['system', 'batch']) {
      const { inputs, ignoreChanges } = mocks.one(GKE, pool);
      expect(inputs.nodeCount).toBe(0);
      expect(inputs.autoscaling).toBeUndefined();
      expect(ignoreChanges).not.toContain('nodeCount');
    }
  });

  it('hibernated with a stale spec: still nodeCount 0, no autoscaling', async () => {
    await runProgram(gkeProgram(standardSpec('gcp'), identity, { hibernated: true }), mocks);
    expect(mocks.one(GKE, 'system').inputs).toMatchObject({ nodeCount: 0 });
    expect(mocks.one(GKE, 'system').inputs.autoscaling).toBeUndefined();
  });

  it('woken (the recorded sizes restored, not hibernated): autoscaling with the recorded min/max, no nodeCount', async () => {
    const spec = standardSpec('gcp');
    await runProgram(gkeProgram(spec, identity, { hibernated: false }), mocks);
    const system = mocks.one(GKE, 'system').inputs;
    expect(system.autoscaling).toMatchObject({ totalMinNodeCount: 2, totalMaxNodeCount: 4 });
    expect(system.nodeCount).toBeUndefined();
    expect(mocks.one(GKE, 'batch').inputs.autoscaling).toMatchObject({ totalMinNodeCount: 0, totalMaxNodeCount: 10 });
  });
});
