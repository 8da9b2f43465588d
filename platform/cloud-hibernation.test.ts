import { describe, expect, it } from 'vitest';
import { hibernatedClusterRefusal, runsHibernated } from './cloud-hibernation.ts';
import type { ClusterSpec, NodePoolSpec } from './cluster-spec.ts';
import { physicalPools } from './pool-generation.ts';

describe('runsHibernated: which runs fix every pool at 0', () => {
  it('the hibernate and every run while sizes are recorded; never the wake', () => {
    expect(runsHibernated(true, { hibernate: true })).toBe(true);
    expect(runsHibernated(false, { hibernate: true })).toBe(true);
    expect(runsHibernated(true, {})).toBe(true); // drift check, reconcile, plan, upgrade, delete while hibernated
    expect(runsHibernated(true, { wake: true })).toBe(false);
    expect(runsHibernated(false, { wake: true })).toBe(false);
    expect(runsHibernated(false, {})).toBe(false);
  });
});

describe('physicalPools of a hibernated cluster', () => {
  const pool = (over: Partial<NodePoolSpec>): NodePoolSpec => ({ name: 'general', machineType: 'm', minSize: 2, maxSize: 6, desiredSize: 3, labels: {}, taints: [], ...over });
  const spec = {
    nodePools: [
      pool({}),
      pool({ name: 'batch', upgradeStrategy: 'blue-green', generation: 2, standby: { generation: 1, kubernetesVersion: '1.33', minSize: 1, desiredSize: 2, phase: 'serving' } }),
    ],
  } as unknown as ClusterSpec;

  it('every physical pool, standby generations too, is fixed at 0 (min 0, desired 0), max kept', () => {
    const pools = physicalPools(spec, { hibernated: true });
    expect(pools.map((p) => [p.name, p.minSize, p.desiredSize, p.maxSize, p.fixedSize])).toEqual([
      ['general', 0, 0, 6, true],
      ['batch-g2', 0, 0, 6, true],
      ['batch', 0, 0, 6, true],
    ]);
  });

  it('awake: the spec sizes, left to the autoscaler', () => {
    expect(physicalPools(spec).map((p) => [p.name, p.minSize, p.desiredSize, p.fixedSize])).toEqual([
      ['general', 2, 3, false],
      ['batch-g2', 2, 3, false],
      ['batch', 1, 2, false],
    ]);
  });
});

describe('hibernatedClusterRefusal: what may run on a hibernated cluster', () => {
  const asleep = { name: 'web', hibernated: true };
  it('on every cloud: no upgrade, rollback or plain update (pools at 0), naming the wake command', () => {
    for (const cloud of ['sim', 'aws', 'gcp', 'azure'] as const) {
      for (const kind of ['upgrade', 'rollback', 'update']) {
        const refusal = hibernatedClusterRefusal(cloud, asleep, kind, {});
        expect(refusal?.code, `${cloud} ${kind}`).toBe('PRECONDITION_FAILED');
        expect(refusal?.message).toContain('is hibernated');
        expect(refusal?.hint).toContain('kaas clusters wake web --wait');
      }
    }
  });
  it('the wake, the hibernate and the delete always start; drift checks, plans and reconciles run hibernated except on a stopped AKS cluster', () => {
    for (const cloud of ['sim', 'aws', 'gcp', 'azure'] as const) {
      expect(hibernatedClusterRefusal(cloud, asleep, 'update', { wake: true })).toBeUndefined();
      expect(hibernatedClusterRefusal(cloud, asleep, 'update', { hibernate: true })).toBeUndefined();
      expect(hibernatedClusterRefusal(cloud, asleep, 'delete', {})).toBeUndefined();
      for (const kind of ['refresh', 'preview', 'reconcile']) expect(hibernatedClusterRefusal(cloud, asleep, kind, {}) === undefined, `${cloud} ${kind}`).toBe(cloud !== 'azure');
    }
  });
  it('an awake cluster is never refused', () => {
    for (const kind of ['upgrade', 'rollback', 'update', 'refresh']) expect(hibernatedClusterRefusal('aws', { name: 'web', hibernated: false }, kind, {})).toBeUndefined();
  });
});
