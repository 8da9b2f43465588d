import { describe, expect, it } from 'vitest';
import type { FleetCluster } from './fleet-selector.ts';
import { planWaves, type Campaign } from './fleet-waves.ts';

function cluster(n: number, version = '1.32', extra: Partial<FleetCluster> = {}): FleetCluster {
  const id = `id-${String(n).padStart(2, '0')}`;
  return { id, name: `c${String(n).padStart(2, '0')}`, team: 't', cloud: 'sim', target: 'sim-local', labels: {}, version, ...extra };
}
const fleetOf = (n: number) => Array.from({ length: n }, (_, i) => cluster(i + 1)).reverse();
const campaign = (c: Partial<Campaign> = {}): Campaign => ({
  selector: {},
  targetVersion: '1.33',
  waves: { canary: 1, percentages: [50, 50] },
  maxParallel: 2,
  failureThreshold: 0,
  ...c,
});
const waveIds = (clusters: FleetCluster[], c: Campaign) => planWaves(clusters, c).waves.map((w) => `${w.name}:${w.clusterIds.join(',')}`);

describe('planWaves', () => {
  it.each<[string, FleetCluster[], Campaign, string[]]>([
    ['empty selection', [], campaign(), []],
    ['one cluster goes to the canary', [cluster(1)], campaign(), ['canary:id-01']],
    ['one cluster without canary', [cluster(1)], campaign({ waves: { canary: 0, percentages: [10, 90] } }), ['wave-1:id-01']],
    ['canary then halves, sorted by name', fleetOf(5), campaign(), ['canary:id-01', 'wave-1:id-02,id-03', 'wave-2:id-04,id-05']],
    ['rounding up keeps small waves non-empty', fleetOf(4), campaign({ waves: { canary: 0, percentages: [10, 20, 70] } }), ['wave-1:id-01', 'wave-2:id-02', 'wave-3:id-03,id-04']],
    ['empty waves are dropped', fleetOf(2), campaign({ waves: { canary: 0, percentages: [10, 10, 80] } }), ['wave-1:id-01', 'wave-3:id-02']],
    ['canary larger than the fleet', fleetOf(2), campaign({ waves: { canary: 5, percentages: [100] } }), ['canary:id-01,id-02']],
    ['explicit lists keep their order', fleetOf(3), campaign({ waves: { lists: [['id-03'], ['id-02', 'id-01']] } }), ['wave-1:id-03', 'wave-2:id-02,id-01']],
  ])('%s', (_name, clusters, c, expected) => {
    expect(waveIds(clusters, c)).toEqual(expected);
  });

  it('skips clusters already at or past the target, and selects by selector', () => {
    const clusters = [cluster(1, '1.33'), cluster(2, '1.34'), cluster(3, '1.31'), cluster(4, '1.32', { cloud: 'aws' })];
    const plan = planWaves(clusters, campaign({ selector: { cloud: 'sim' } }));
    expect(plan.waves).toEqual([{ name: 'canary', clusterIds: ['id-03'] }]);
    expect(plan.skipped).toEqual([
      { id: 'id-01', reason: 'already at 1.33' },
      { id: 'id-02', reason: 'at 1.34, newer than 1.33; downgrades are not supported' },
    ]);
  });

  it('is deterministic whatever the input order', () => {
    const a = fleetOf(7);
    expect(planWaves([...a].reverse(), campaign())).toEqual(planWaves(a, campaign()));
  });

  it('passes threshold 0 and maxParallel through', () => {
    expect(planWaves(fleetOf(1), campaign({ failureThreshold: 0, maxParallel: 3 }))).toMatchObject({ failureThreshold: 0, maxParallel: 3 });
  });

  it.each<[string, Campaign, string]>([
    ['percentages summing over 100', campaign({ waves: { canary: 1, percentages: [60, 50] } }), 'waves.percentages: per-wave percentages sum to 110; they must total exactly 100'],
    ['percentages not ending at 100', campaign({ waves: { canary: 1, percentages: [25, 25] } }), 'waves.percentages: per-wave percentages sum to 50; they must end at 100'],
    ['zero percentage', campaign({ waves: { canary: 0, percentages: [0, 100] } }), 'waves.percentages.0'],
    ['no waves', campaign({ waves: { canary: 1, percentages: [] } }), 'must list at least one wave'],
    ['negative canary', campaign({ waves: { canary: -1, percentages: [100] } }), 'waves.canary'],
    ['negative threshold', campaign({ failureThreshold: -1 }), 'failureThreshold'],
    ['zero parallelism', campaign({ maxParallel: 0 }), 'maxParallel'],
    ['bad version', campaign({ targetVersion: '1.33.0' }), 'targetVersion: must be MAJOR.MINOR'],
    ['bad selector', campaign({ selector: { cloud: 'ibm' } as never }), 'selector.cloud'],
    ['inverted version range', campaign({ selector: { version: { min: '1.33', max: '1.31' } } }), 'selector.version: min must not be newer than max'],
    ['empty list', campaign({ waves: { lists: [[]] } }), 'a wave must list at least one cluster'],
  ])('refuses %s', (_name, c, expected) => {
    expect(() => planWaves(fleetOf(3), c)).toThrow(expect.objectContaining({ code: 'VALIDATION', message: expect.stringContaining(expected) }));
  });

  it.each<[string, string[][], string]>([
    ['a listed cluster twice', [['id-01', 'id-02'], ['id-01', 'id-03']], 'waves.lists.1.0: cluster "id-01" is listed in more than one place'],
    ['an unknown cluster', [['id-01', 'id-02', 'id-03', 'nope']], 'waves.lists.0.3: unknown cluster "nope"'],
    ['a selected cluster missing', [['id-01']], 'waves.lists: selected clusters missing from every wave: id-02 (c02), id-03 (c03)'],
  ])('refuses lists with %s', (_name, lists, expected) => {
    expect(() => planWaves(fleetOf(3), campaign({ waves: { lists } }))).toThrow(expect.objectContaining({ message: expect.stringContaining(expected) }));
  });

  it('refuses a listed cluster the selector does not select', () => {
    const clusters = [cluster(1), cluster(2, '1.32', { team: 'other' })];
    expect(() => planWaves(clusters, campaign({ selector: { team: 't' }, waves: { lists: [['id-01', 'id-02']] } }))).toThrow(
      /waves.lists.0.1: cluster "id-02" is not selected by the campaign selector/,
    );
  });
});
