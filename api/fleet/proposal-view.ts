/** How channel settings, exclusions and proposals are shown over the API (dates as ISO strings). */
import type { CampaignProposalRow, DbOrTx, MaintenanceExclusionRow, UpgradeChannelRow } from '../db/schema.ts';

export const channelView = (r: UpgradeChannelRow) => ({ scope: r.scope, name: r.scope_name, channel: r.channel, autoStart: r.auto_start, startDelayMinutes: r.start_delay_minutes, updatedBy: r.updated_by, updatedAt: r.updated_at.toISOString() });

export const exclusionView = (r: MaintenanceExclusionRow) => ({ id: r.id, scope: r.scope, name: r.scope_name, kind: r.kind, startsAt: r.starts_at.toISOString(), endsAt: r.ends_at.toISOString(), reason: r.reason, createdBy: r.created_by });

/** Proposals with their clusters' names and the started campaign's name. */
export async function proposalViews(db: DbOrTx, rows: CampaignProposalRow[]) {
  const clusterIds = [...new Set(rows.flatMap((r) => r.cluster_ids))];
  const campaignIds = rows.flatMap((r) => (r.campaign_id ? [r.campaign_id] : []));
  const clusters = clusterIds.length ? await db.selectFrom('clusters').select(['id', 'name']).where('id', 'in', clusterIds).execute() : [];
  const campaigns = campaignIds.length ? await db.selectFrom('campaigns').select(['id', 'name']).where('id', 'in', campaignIds).execute() : [];
  const clusterName = new Map(clusters.map((c) => [c.id, c.name]));
  const campaignName = new Map(campaigns.map((c) => [c.id, c.name]));
  return rows.map((r) => ({
    id: r.id,
    scope: r.scope,
    name: r.scope_name,
    channel: r.channel,
    targetVersion: r.target_version,
    release: r.target_release,
    minorUpgrade: r.minor_upgrade,
    clusters: r.cluster_ids.map((id) => clusterName.get(id) ?? id),
    status: r.status,
    reason: r.status_reason,
    scheduledAt: r.scheduled_at.toISOString(),
    campaign: r.campaign_id ? (campaignName.get(r.campaign_id) ?? r.campaign_id) : null,
    decidedBy: r.decided_by,
    createdAt: r.created_at.toISOString(),
  }));
}
