/**
 * `fleet.retry`: clusters a campaign left `blocked` (upgrade preflight found a deprecated API in
 * use, a PodDisruptionBudget that would stall a drain, no surge capacity) go back to `pending`
 * once the blocker is gone; the runner starts a new upgrade for each, which runs preflight again
 * before its first hop (and is blocked again, with the reasons, if the blocker is still there).
 *
 * The campaign returns to the earliest wave retried (finished later waves stay finished; approvals
 * already given stay given); a completed campaign runs again. A cancelled one cannot be retried.
 */
import { publishCampaignEvent } from './campaign-event.ts';
import { DomainError } from '../../platform/errors.ts';
import type { CampaignRow, Db } from '../db/schema.ts';
import { findCampaign } from './campaign-control.ts';

export async function retryBlocked(db: Db, ref: string, clusterName: string | undefined, now = new Date()): Promise<{ campaign: CampaignRow; retried: string[] }> {
  return db.transaction().execute(async (tx) => {
    const c = await findCampaign(tx, ref, { forUpdate: true });
    if (c.status === 'cancelled') throw new DomainError('PRECONDITION_FAILED', `campaign "${c.name}" was cancelled`, { hint: 'start a new campaign for its blocked clusters' });
    let q = tx.selectFrom('campaign_clusters').innerJoin('clusters', 'clusters.id', 'campaign_clusters.cluster_id').select(['campaign_clusters.cluster_id', 'campaign_clusters.wave', 'clusters.name']).where('campaign_id', '=', c.id).where('campaign_clusters.status', '=', 'blocked');
    if (clusterName !== undefined) q = q.where('clusters.name', '=', clusterName);
    const blocked = await q.execute();
    if (blocked.length === 0) {
      throw new DomainError('PRECONDITION_FAILED', clusterName ? `cluster "${clusterName}" is not blocked in campaign "${c.name}"` : `campaign "${c.name}" has no blocked cluster`, {
        hint: `\`kaas fleet status ${c.name}\` shows each cluster's status`,
      });
    }
    await tx
      .updateTable('campaign_clusters')
      .set({ status: 'pending', reason: 'retried: preflight runs again', finished_at: null, updated_at: now })
      .where('campaign_id', '=', c.id)
      .where('cluster_id', 'in', blocked.map((b) => b.cluster_id))
      .execute();
    const wave = Math.min(c.current_wave, ...blocked.map((b) => b.wave ?? c.current_wave));
    const campaign = await tx
      .updateTable('campaigns')
      .set({
        current_wave: wave,
        updated_at: now,
        ...(wave !== c.current_wave ? { wave_done_at: null } : {}),
        ...(c.status === 'completed' ? { status: 'running', status_reason: `retrying ${blocked.length} blocked cluster(s)`, finished_at: null, wave_done_at: null } : {}),
      })
      .where('id', '=', c.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    if (campaign.status !== c.status) await publishCampaignEvent(tx, campaign, c.status);
    return { campaign, retried: blocked.map((b) => b.name).sort() };
  });
}
