/**
 * The surge-capacity arithmetic (platform/surge-quota.ts): what each cloud's roll adds, and how
 * much of it the free quota (limit − usage) covers.
 * Sources: EKS scale-up phase, https://docs.aws.amazon.com/eks/latest/userguide/managed-node-update-behavior.html
 * ("the larger of: up to twice the number of Availability Zones … or the maxUnavailable");
 * GKE UpgradeSettings.maxSurge, https://cloud.google.com/kubernetes-engine/docs/reference/rest/v1/projects.locations.clusters.nodePools#UpgradeSettings;
 * AKS maxSurge ("For percentages, fractional nodes are rounded up"),
 * https://learn.microsoft.com/azure/aks/upgrade-aks-cluster#customize-node-surge-upgrade.
 */
import { describe, expect, it } from 'vitest';
import type { NodePoolSpec } from './cluster-spec.ts';
import { oneAtATime, surgeCapacities, surgeDemand, surgeDemands, type MachineQuota, type QuotaBucket } from './surge-quota.ts';
import { preflightBlockers, preflightWarnings } from './upgrade-preflight.ts';

const pool = (over: Partial<NodePoolSpec> = {}): NodePoolSpec => ({ name: 'general', machineType: 'm5.xlarge', minSize: 1, maxSize: 10, desiredSize: 4, labels: {}, taints: [], ...over });

describe('surgeDemand', () => {
  it('a blue-green pool needs its whole new generation, on every cloud including sim', () => {
    for (const cloud of ['aws', 'gcp', 'azure', 'sim'] as const) {
      expect(surgeDemand(cloud, pool({ upgradeStrategy: 'blue-green', desiredSize: 5, surge: { maxSurge: 1 } })).nodes).toBe(5);
    }
  });
  it('GKE takes maxSurge (default 1), AKS rounds a percentage up (default 33%), sim defaults to one node', () => {
    expect(surgeDemand('gcp', pool({ surge: { maxSurge: 3 } })).nodes).toBe(3);
    expect(surgeDemand('gcp', pool()).nodes).toBe(1);
    expect(surgeDemand('azure', pool({ desiredSize: 4 })).nodes).toBe(2); // 33% of 4 = 1.32 → 2
    expect(surgeDemand('azure', pool({ surge: { maxSurge: '5' } })).nodes).toBe(5);
    expect(surgeDemand('sim', pool()).nodes).toBe(1);
    expect(surgeDemand('sim', pool({ surge: { maxSurge: '50%' }, desiredSize: 3 })).nodes).toBe(2);
  });
  it('EKS: the larger of twice the Availability Zones and maxUnavailable', () => {
    expect(surgeDemand('aws', pool()).nodes).toBe(6);
    expect(surgeDemand('aws', pool({ surge: { maxUnavailable: 20 }, desiredSize: 40 })).nodes).toBe(20);
    expect(surgeDemand('aws', pool(), { availabilityZones: 2 }).nodes).toBe(4);
  });
  it('a pool with no nodes needs none; unknown pool names are skipped', () => {
    expect(surgeDemand('gcp', pool({ desiredSize: 0 })).nodes).toBe(0);
    expect(surgeDemands({ nodePools: [pool()] }, 'gcp', ['general', 'nope']).map((d) => d.pool)).toEqual(['general']);
  });
});

describe('surgeCapacities', () => {
  const machines = new Map<string, MachineQuota>([
    ['m5.xlarge', { vcpus: 4, buckets: ['std'] }],
    ['c5.2xlarge', { vcpus: 8, buckets: ['std'] }],
  ]);
  const std = (limit: number, usage: number): QuotaBucket => ({ id: 'std', label: 'EC2 quota L-1216C47A', limit, usage });

  it('available is the free quota (limit − usage) over vCPUs per node, rounded down', () => {
    const { surge } = surgeCapacities([[{ pool: 'general', machineType: 'm5.xlarge', nodes: 3, why: 'maxSurge 3' }]], machines, [std(32, 22)]);
    // 10 vCPUs free, 4 per node: 2 nodes, not 8 (the limit alone) nor 2.5
    expect(surge).toEqual([{ pool: 'general', needed: 3, available: 2, quota: 'EC2 quota L-1216C47A: 10 of 32 vCPUs free, 4 vCPUs per m5.xlarge node (maxSurge 3)' }]);
  });
  it('usage above the limit leaves nothing', () => {
    expect(surgeCapacities([[{ pool: 'a', machineType: 'm5.xlarge', nodes: 1, why: '' }]], machines, [std(8, 12)]).surge[0]!.available).toBe(0);
  });
  it('pools rolled at once share the free quota; pools rolled one after another do not', () => {
    const demands = [
      { pool: 'a', machineType: 'm5.xlarge', nodes: 2, why: '' },
      { pool: 'b', machineType: 'c5.2xlarge', nodes: 1, why: '' },
    ];
    const together = surgeCapacities([demands], machines, [std(20, 4)]).surge;
    expect(together.map((s) => [s.pool, s.needed, s.available])).toEqual([['a', 2, 4], ['b', 1, 1]]); // b sees 16 − 8 = 8 vCPUs
    const tight = surgeCapacities([demands], machines, [std(16, 4)]).surge;
    expect(tight.map((s) => s.available)).toEqual([3, 0]); // 12 free: a takes 8, 4 left < 8
    const apart = surgeCapacities(oneAtATime(demands), machines, [std(16, 4)]).surge;
    expect(apart.map((s) => s.available)).toEqual([3, 1]);
  });
  it('the tightest of every quota a machine counts against limits it (family and regional total)', () => {
    const m = new Map([['Standard_D4s_v3', { vcpus: 4, buckets: ['standardDSv3Family', 'cores'] }]]);
    const { surge } = surgeCapacities([[{ pool: 'p', machineType: 'Standard_D4s_v3', nodes: 2, why: '' }]], m, [
      { id: 'standardDSv3Family', label: 'family', limit: 100, usage: 0 },
      { id: 'cores', label: 'Total Regional vCPUs', limit: 10, usage: 6 },
    ]);
    expect(surge[0]).toMatchObject({ needed: 2, available: 1 });
    expect(surge[0]!.quota).toMatch(/^Total Regional vCPUs: 4 of 10/);
  });
  it('an unknown machine type or quota comes back as unknown, not as capacity', () => {
    const r = surgeCapacities([[{ pool: 'g', machineType: 'p4d.24xlarge', nodes: 1, why: '' }]], machines, [std(32, 0)]);
    expect(r).toEqual({ surge: [], unknown: [{ pool: 'g', machineType: 'p4d.24xlarge', nodes: 1, why: '' }] });
  });
  it('blocks the hop through preflightBlockers naming the quota, and warnings never block', () => {
    const { surge } = surgeCapacities([[{ pool: 'general', machineType: 'm5.xlarge', nodes: 6, why: 'maxSurge 6' }]], machines, [std(32, 28)]);
    const findings = { deprecatedApis: [], blockingPdbs: [], surge, warnings: [{ check: 'surge-capacity' as const, message: 'x' }] };
    const blockers = preflightBlockers(findings, { nextMinor: '1.33', pools: ['general'] });
    expect(blockers).toHaveLength(1);
    expect(blockers[0]!.message).toContain('needs 6 surge node(s) to roll, but only 1 can be added (EC2 quota L-1216C47A: 4 of 32 vCPUs free');
    expect(preflightWarnings(findings, { pools: ['general'] })).toEqual([{ check: 'surge-capacity', message: 'x' }]);
    expect(preflightWarnings(findings, { pools: [] })).toEqual([]);
  });
});
