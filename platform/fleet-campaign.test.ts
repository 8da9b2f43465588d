import { describe, expect, it } from 'vitest';
import { planRolloutCampaign, planUpgradeCampaign, type FleetCandidate } from './fleet-campaign.ts';
import { DEFAULT_VERSION_RULES } from './version-policy.ts';

const c = (name: string, version: string, extra: Partial<FleetCandidate> = {}): FleetCandidate => ({
  id: `id-${name}`, name, team: 't', cloud: 'sim', target: 'sim-local', labels: {}, version, status: 'ready', template: 'dev@1', ...extra,
});
const settings = { selector: {}, waves: { canary: 1, percentages: [100] }, maxParallel: 1, failureThreshold: 0 };

describe('planUpgradeCampaign', () => {
  it('moves clusters behind the target through every hop and skips the rest with reasons', () => {
    const fleet = [c('a', '1.32'), c('b', '1.31'), c('c', '1.33'), c('d', '1.32', { status: 'failed', failedOperation: 'create' }), c('e', '1.32', { status: 'updating' }), c('f', '1.32', { status: 'failed', failedOperation: 'upgrade' })];
    const plan = planUpgradeCampaign(fleet, { ...settings, targetVersion: '1.33' }, DEFAULT_VERSION_RULES);
    expect(plan.waves).toEqual([{ name: 'canary', clusterIds: ['id-a'] }, { name: 'wave-1', clusterIds: ['id-b', 'id-e', 'id-f'] }]);
    expect(plan.skipped).toEqual([
      { id: 'id-c', reason: 'already at 1.33' },
      { id: 'id-d', reason: 'cluster is failed (its create failed); fix it first' },
    ]);
  });

  it('skips clusters whose cloud does not support the target', () => {
    const plan = planUpgradeCampaign([c('a', '1.30', { cloud: 'aws' })], { ...settings, targetVersion: '1.31' }, { ...DEFAULT_VERSION_RULES, aws: { ...DEFAULT_VERSION_RULES.aws, supported: ['1.30', '1.32'], default: '1.32' } });
    expect(plan.skipped).toEqual([{ id: 'id-a', reason: '1.31 is not supported on aws (supported: 1.30, 1.32)' }]);
  });

  it('skips a cluster whose path to the target crosses a minor its cloud does not support', () => {
    const rules = { ...DEFAULT_VERSION_RULES, aws: { ...DEFAULT_VERSION_RULES.aws, supported: ['1.30', '1.32', '1.33'], default: '1.32' } };
    const plan = planUpgradeCampaign([c('a', '1.30', { cloud: 'aws' }), c('b', '1.32', { cloud: 'aws' })], { ...settings, targetVersion: '1.33' }, rules);
    expect(plan.waves).toEqual([{ name: 'canary', clusterIds: ['id-b'] }]);
    expect(plan.skipped).toEqual([{ id: 'id-a', reason: 'at 1.30: intermediate version 1.31 is not supported on aws; upgrades move one minor at a time' }]);
  });

  it('lets explicit lists name skipped clusters without requiring them', () => {
    const plan = planUpgradeCampaign([c('a', '1.32'), c('b', '1.33')], { ...settings, targetVersion: '1.33', waves: { lists: [['id-b', 'id-a']] } }, DEFAULT_VERSION_RULES);
    expect(plan.waves).toEqual([{ name: 'wave-1', clusterIds: ['id-a'] }]);
  });
});

describe('planRolloutCampaign', () => {
  it('moves clusters built from older versions, skipping current, other-version and unresolvable ones', () => {
    const fleet = [c('a', '1.32'), c('b', '1.32', { template: 'dev@2' }), c('c', '1.32', { template: 'other@1' }), c('d', '1.32'), c('e', '1.32', { template: 'dev@3' })];
    const plan = planRolloutCampaign(fleet, {}, { canary: 0, percentages: [100] }, { template: 'dev', toVersion: 3, fromVersion: 1 }, new Map([['id-d', 'overrides do not resolve']]));
    expect(plan.waves).toEqual([{ name: 'wave-1', clusterIds: ['id-a'] }]);
    expect(plan.skipped).toEqual([
      { id: 'id-b', reason: 'built from dev@2, not dev@1' },
      { id: 'id-d', reason: 'overrides do not resolve' },
      { id: 'id-e', reason: 'built from dev@3, not dev@1' },
    ]);
  });
});
