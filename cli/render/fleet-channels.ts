/** Text output of `kaas fleet channels|exclusions|proposals|retry`. */
import type { ChannelSetting, MaintenanceExclusionView, ProposalStart, ProposalView, RetryResult } from '../api-types.ts';
import { campaignHeaderText } from './fleet.ts';
import { renderTable } from './table.ts';

export function channelsTable(r: { items: ChannelSetting[] }): string {
  return renderTable<ChannelSetting>(
    [
      { header: 'scope', value: (c) => `${c.scope}/${c.name}` },
      { header: 'channel', value: (c) => c.channel },
      { header: 'start', value: (c) => (c.autoStart ? `auto after ${c.startDelayMinutes} min` : 'by an admin') },
      { header: 'updated by', value: (c) => c.updatedBy },
    ],
    r.items,
    'no channels set: every cluster is pinned',
  );
}

export const channelText = (r: { channel: ChannelSetting }) =>
  `${r.channel.scope} ${r.channel.name} follows the ${r.channel.channel} channel; proposals start ${r.channel.autoStart ? `by themselves ${r.channel.startDelayMinutes} min after they are made` : 'when an admin starts them (kaas fleet proposals start ID)'}`;

export const channelClearedText = (r: { removed: boolean }) => (r.removed ? 'channel setting removed' : 'there was no channel setting');

export function exclusionsTable(r: { items: MaintenanceExclusionView[] }): string {
  return renderTable<MaintenanceExclusionView>(
    [
      { header: 'id', value: (e) => e.id },
      { header: 'scope', value: (e) => `${e.scope}/${e.name}` },
      { header: 'kind', value: (e) => e.kind },
      { header: 'from', value: (e) => e.startsAt },
      { header: 'until', value: (e) => e.endsAt },
      { header: 'reason', value: (e) => e.reason },
    ],
    r.items,
    'no maintenance exclusions',
  );
}

export const exclusionText = (r: { exclusion: MaintenanceExclusionView }) => `exclusion ${r.exclusion.id}: ${r.exclusion.scope} ${r.exclusion.name} ${r.exclusion.kind} from ${r.exclusion.startsAt} until ${r.exclusion.endsAt}`;

export function proposalsTable(r: { items: ProposalView[] }): string {
  return renderTable<ProposalView>(
    [
      { header: 'id', value: (p) => p.id },
      { header: 'scope', value: (p) => `${p.scope}/${p.name}` },
      { header: 'channel', value: (p) => p.channel },
      { header: 'release', value: (p) => p.release },
      { header: 'clusters', value: (p) => p.clusters.join(',') },
      { header: 'status', value: (p) => p.status },
      { header: 'scheduled', value: (p) => p.scheduledAt },
      { header: 'campaign', value: (p) => p.campaign },
      { header: 'reason', value: (p) => p.reason },
    ],
    r.items,
    'no proposals',
  );
}

export const proposalText = (r: { proposal: ProposalView }) => `proposal ${r.proposal.id} (${r.proposal.release}): ${r.proposal.status}${r.proposal.reason ? ` (${r.proposal.reason})` : ''}`;

export const proposalStartText = (r: ProposalStart) => [proposalText(r), ...(r.campaign ? [campaignHeaderText(r.campaign), `follow it: kaas fleet status ${r.campaign.name} --watch`] : [])].join('\n');

export const retryText = (r: RetryResult) => `retrying ${r.retried.join(', ')}: preflight runs again before the first hop\n${campaignHeaderText(r.campaign)}`;
