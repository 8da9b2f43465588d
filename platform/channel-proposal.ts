/**
 * Which campaigns the channels propose: each cluster follows its team's channel when the team
 * has one, else its template's (by template name, any version), else none (pinned). Clusters of
 * one scope that a channel moves to the same release form one proposal. Pure.
 */
import type { Cloud } from './cluster-spec.ts';
import type { ChannelScope } from './maintenance-exclusion.ts';
import { channelTarget, type ChannelTarget, type ChannelVersionData, type UpgradeChannel } from './upgrade-channel.ts';

export interface ChannelSetting extends ChannelScope {
  channel: UpgradeChannel;
}

/** What the proposer knows of a cluster. */
export interface ChannelMember {
  id: string;
  team: string;
  /** `name@version` of its template, if any. */
  template?: string;
  cloud: Cloud;
  /** Control-plane minor. */
  version: string;
  /** The control-plane patch release it is pinned to, if any. */
  patch?: string | undefined;
}

export interface ProposalDraft extends ChannelScope {
  channel: Exclude<UpgradeChannel, 'pinned'>;
  target: ChannelTarget;
  clusterIds: string[];
}

/** The template name of `name@version`. */
export function templateName(ref: string): string {
  return ref.split('@')[0]!;
}

/** The setting a cluster follows: its team's, else its template's; undefined: none (pinned). */
export function effectiveChannel(cluster: ChannelMember, settings: readonly ChannelSetting[]): ChannelSetting | undefined {
  const team = settings.find((s) => s.scope === 'team' && s.name === cluster.team);
  if (team) return team;
  const template = cluster.template === undefined ? undefined : templateName(cluster.template);
  return template === undefined ? undefined : settings.find((s) => s.scope === 'template' && s.name === template);
}

/**
 * The proposals the channels make over `clusters` with each cloud's version data as the setting a
 * cluster follows sees it (a `patch` scope's patches are those every target of its clusters
 * offers, platform/patch-feed.ts), in a stable order.
 */
export function draftProposals(clusters: readonly ChannelMember[], settings: readonly ChannelSetting[], dataFor: (cloud: Cloud, setting: ChannelSetting) => ChannelVersionData): ProposalDraft[] {
  const drafts = new Map<string, ProposalDraft>();
  for (const c of [...clusters].sort((a, b) => a.id.localeCompare(b.id))) {
    const setting = effectiveChannel(c, settings);
    if (!setting || setting.channel === 'pinned') continue;
    const target = channelTarget(setting.channel, dataFor(c.cloud, setting), c.version, c.patch);
    if (!target) continue;
    const key = `${setting.scope}\u0000${setting.name}\u0000${target.release}`;
    const draft = drafts.get(key) ?? { scope: setting.scope, name: setting.name, channel: setting.channel, target, clusterIds: [] };
    draft.clusterIds.push(c.id);
    drafts.set(key, draft);
  }
  return [...drafts.values()].sort((a, b) => `${a.scope}/${a.name}/${a.target.release}`.localeCompare(`${b.scope}/${b.name}/${b.target.release}`));
}
