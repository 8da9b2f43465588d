import { describe, expect, it } from 'vitest';
import { draftProposals, effectiveChannel, type ChannelMember, type ChannelSetting } from './channel-proposal.ts';

const data = () => ({ supported: ['1.31', '1.32', '1.33', '1.34'], patches: { '1.33': '1.33.7' } });
const c = (id: string, team: string, version: string, template?: string): ChannelMember => ({ id, team, version, cloud: 'sim', ...(template ? { template } : {}) });

describe('channel proposals', () => {
  it('a team setting wins over the template setting; no setting is pinned', () => {
    const settings: ChannelSetting[] = [
      { scope: 'template', name: 'sim-dev', channel: 'stable' },
      { scope: 'team', name: 'frozen', channel: 'pinned' },
    ];
    expect(effectiveChannel(c('a', 'frozen', '1.31', 'sim-dev@1'), settings)?.channel).toBe('pinned');
    expect(effectiveChannel(c('b', 'ops', '1.31', 'sim-dev@2'), settings)?.scope).toBe('template');
    expect(effectiveChannel(c('d', 'ops', '1.31'), settings)).toBeUndefined();
  });

  it('groups clusters of one scope moving to one release', () => {
    const settings: ChannelSetting[] = [
      { scope: 'team', name: 'ops', channel: 'stable' },
      { scope: 'team', name: 'web', channel: 'patch' },
      { scope: 'team', name: 'frozen', channel: 'pinned' },
    ];
    const drafts = draftProposals([c('1', 'ops', '1.31'), c('2', 'ops', '1.32'), c('3', 'ops', '1.33'), c('4', 'web', '1.33'), c('5', 'web', '1.32'), c('6', 'frozen', '1.31')], settings, data);
    expect(drafts).toEqual([
      { scope: 'team', name: 'ops', channel: 'stable', target: { version: '1.33', release: '1.33', minorUpgrade: true }, clusterIds: ['1', '2'] },
      { scope: 'team', name: 'web', channel: 'patch', target: { version: '1.33', release: '1.33.7', minorUpgrade: false }, clusterIds: ['4'] },
    ]);
  });
});
