import { describe, expect, it } from 'vitest';
import type { Cloud, SurgeSettings } from './cluster-spec.ts';
import { aksUpgradeSettings, eksUpdateConfig, gkeUpgradeSettings, surgeSettingIssues } from './pool-surge.ts';

describe('surge settings per cloud', () => {
  it.each<[SurgeSettings | undefined, ReturnType<typeof eksUpdateConfig>]>([
    [undefined, { maxUnavailablePercentage: 33 }],
    [{ maxUnavailable: 3 }, { maxUnavailable: 3 }],
    [{ maxUnavailable: '3' }, { maxUnavailable: 3 }],
    [{ maxUnavailable: '20%' }, { maxUnavailablePercentage: 20 }],
  ])('EKS updateConfig of %j', (surge, expected) => expect(eksUpdateConfig(surge)).toEqual(expected));

  it.each<[SurgeSettings | undefined, ReturnType<typeof gkeUpgradeSettings>]>([
    [undefined, { strategy: 'SURGE', maxSurge: 1, maxUnavailable: 0 }],
    [{ maxSurge: 0, maxUnavailable: 2 }, { strategy: 'SURGE', maxSurge: 0, maxUnavailable: 2 }],
  ])('GKE upgradeSettings of %j', (surge, expected) => expect(gkeUpgradeSettings(surge)).toEqual(expected));

  it.each<[SurgeSettings | undefined, ReturnType<typeof aksUpgradeSettings>]>([
    [undefined, { maxSurge: '33%' }],
    [{ maxSurge: 2, maxUnavailable: '10%', drainTimeoutMinutes: 15 }, { maxSurge: '2', maxUnavailable: '10%', drainTimeoutInMinutes: 15 }],
  ])('AKS upgradeSettings of %j', (surge, expected) => expect(aksUpgradeSettings(surge)).toEqual(expected));

  it.each<[Cloud, SurgeSettings, string[]]>([
    ['aws', { maxUnavailable: '25%' }, []],
    ['aws', { maxSurge: 1 }, ['maxSurge']],
    ['aws', { drainTimeoutMinutes: 5 }, ['drainTimeoutMinutes']],
    ['aws', { maxUnavailable: 0 }, ['maxUnavailable']],
    ['gcp', { maxSurge: 2, maxUnavailable: 1 }, []],
    ['gcp', { maxSurge: '50%' }, ['maxSurge']],
    ['gcp', { maxSurge: 0, maxUnavailable: 0 }, ['maxSurge']],
    ['gcp', { drainTimeoutMinutes: 5 }, ['drainTimeoutMinutes']],
    ['azure', { maxSurge: '50%', maxUnavailable: 1, drainTimeoutMinutes: 30 }, []],
    ['azure', { maxSurge: 0 }, ['maxSurge']],
    ['sim', { maxSurge: 3, drainTimeoutMinutes: 1 }, []],
  ])('%s refuses the unmappable fields of %j: %j', (cloud, surge, fields) => {
    expect(surgeSettingIssues(cloud, 0, surge).map((i) => i.path)).toEqual(fields.map((f) => `nodePools.0.surge.${f}`));
  });
});
