import { describe, expect, it } from 'vitest';
import { commonPatches, scopePatches, type PatchFeedMember } from './patch-feed.ts';

describe('commonPatches: the newest patch every target offers', () => {
  it('per minor, the oldest of the targets’ newest patches (GKE version order)', () => {
    expect(
      commonPatches([
        { '1.33': '1.33.6-gke.1200000', '1.34': '1.34.2-gke.100' },
        { '1.33': '1.33.5-gke.1080000', '1.34': '1.34.2-gke.900' },
      ]),
    ).toEqual({ '1.33': '1.33.5-gke.1080000', '1.34': '1.34.2-gke.100' });
  });

  it('a minor one target does not list is left out', () => {
    expect(commonPatches([{ '1.33': '1.33.5', '1.34': '1.34.1' }, { '1.33': '1.33.7' }])).toEqual({ '1.33': '1.33.5' });
  });

  it('a target whose list could not be read offers nothing: nothing is common', () => {
    expect(commonPatches([{ '1.33': '1.33.5' }, undefined])).toEqual({});
  });

  it('no targets: nothing', () => {
    expect(commonPatches([])).toEqual({});
  });

  it('ignores a value that is not a patch release of its minor', () => {
    expect(commonPatches([{ '1.33': '1.34.1', '1.32': 'latest', '1.31': '1.31.9' }])).toEqual({ '1.31': '1.31.9' });
  });
});

describe('scopePatches: per scope and cloud, over the targets of the clusters at each minor', () => {
  const m = (scope: string, cloud: PatchFeedMember['cloud'], target: string, version: string): PatchFeedMember => ({ scope: 'team', name: scope, cloud, target, version });

  it('only targets running a minor decide its patch; scopes and clouds are apart', () => {
    const offers = new Map<string, Record<string, string> | undefined>([
      ['gke-eu', { '1.33': '1.33.6-gke.1200000', '1.34': '1.34.1-gke.500' }],
      ['gke-us', { '1.33': '1.33.5-gke.1080000' }],
      ['gke-asia', { '1.33': '1.33.4-gke.1' }],
      ['aks-we', { '1.33': '1.33.7' }],
    ]);
    const got = scopePatches([m('web', 'gcp', 'gke-eu', '1.33'), m('web', 'gcp', 'gke-us', '1.33'), m('web', 'gcp', 'gke-eu', '1.34'), m('web', 'azure', 'aks-we', '1.33'), m('ops', 'gcp', 'gke-asia', '1.33')], offers);
    // gke-us offers no 1.34, but runs no 1.34 cluster of web: it does not hold 1.34 back
    expect(got.get('team', 'web', 'gcp')).toEqual({ '1.33': '1.33.5-gke.1080000', '1.34': '1.34.1-gke.500' });
    expect(got.get('team', 'web', 'azure')).toEqual({ '1.33': '1.33.7' });
    // another scope's older region does not hold web back, nor web's ops
    expect(got.get('team', 'ops', 'gcp')).toEqual({ '1.33': '1.33.4-gke.1' });
    expect(got.get('team', 'nobody', 'gcp')).toEqual({});
  });

  it('a failed target blocks the minors its clusters run in that scope, not the others', () => {
    const offers = new Map<string, Record<string, string> | undefined>([
      ['gke-eu', { '1.33': '1.33.6-gke.1200000', '1.34': '1.34.1-gke.500' }],
      ['gke-broken', undefined],
    ]);
    const got = scopePatches([m('web', 'gcp', 'gke-eu', '1.33'), m('web', 'gcp', 'gke-broken', '1.33'), m('web', 'gcp', 'gke-eu', '1.34')], offers);
    expect(got.get('team', 'web', 'gcp')).toEqual({ '1.34': '1.34.1-gke.500' });
  });

  it('a target missing from the offers counts as failed', () => {
    expect(scopePatches([m('web', 'azure', 'aks-unknown', '1.33')], new Map()).get('team', 'web', 'azure')).toEqual({});
  });
});
