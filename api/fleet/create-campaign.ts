/**
 * `fleet.start`: plans the campaign and stores it, running, with its cluster set frozen — every
 * planned cluster (pending, in its wave) and every skipped one (with the reason) — in one
 * transaction. Clusters created later are never swept in. The runner does the rest.
 */
import { DomainError } from '../../platform/errors.ts';
import type { Actor } from '../auth/tokens.ts';
import type { CampaignRow, Db, DbOrTx } from '../db/schema.ts';
import { newId } from '../ids.ts';
import { publishCampaignEvent } from './campaign-event.ts';
import type { LiveCapacity } from './campaign-capacity.ts';
import type { CampaignStartInput } from './campaign-input.ts';
import { planCampaign, type CampaignPlan } from './plan-campaign.ts';

const INSERT_BATCH = 1000;

/**
 * Plans and stores a running campaign (over the clusters in `only` when given; to patch `release`
 * of the target minor when given, see planCampaign); CONFLICT when the
 * name is taken, PRECONDITION_FAILED when nothing would move. Runs in `db`'s transaction when it is one.
 */
export async function createCampaign(db: DbOrTx, input: CampaignStartInput, actor: Actor, live: LiveCapacity, only?: ReadonlySet<string>, release?: string): Promise<{ campaign: CampaignRow; plan: CampaignPlan }> {
  const run = async (tx: DbOrTx) => {
    const plan = await planCampaign(tx, input, live, only, release);
    if (plan.total === 0) {
      throw new DomainError('PRECONDITION_FAILED', `campaign "${input.name}" would move no cluster (${plan.skipped.length} selected, all skipped)`, {
        hint: 'check the selector and the skipped reasons with `kaas fleet plan`',
      });
    }
    const id = newId('f');
    const campaign = await tx
      .insertInto('campaigns')
      .values({
        id,
        name: input.name,
        kind: input.kind,
        selector: JSON.stringify(input.selector),
        target_version: input.kind === 'upgrade' ? input.targetVersion : null,
        target_release: input.kind === 'upgrade' ? (release ?? null) : null,
        template: input.kind === 'template-rollout' ? input.template : null,
        template_version: input.kind === 'template-rollout' ? input.toVersion : null,
        strategy: JSON.stringify(input.waves),
        max_parallel: input.maxParallel,
        failure_threshold: input.failureThreshold,
        approval_required: input.approvalBetweenWaves,
        soak_seconds: input.soakSeconds,
        status: 'running',
        wave_names: JSON.stringify(plan.waves.map((w) => w.name)),
        created_by: actor.subject,
      })
      .onConflict((oc) => oc.column('name').doNothing())
      .returningAll()
      .executeTakeFirst();
    if (!campaign) throw new DomainError('CONFLICT', `a campaign named "${input.name}" already exists`, { hint: 'pick another name; `kaas fleet list` shows the existing ones' });
    let position = 0;
    const rows = [
      ...plan.waves.flatMap((w, wave) => w.clusters.map((c) => ({ campaign_id: id, cluster_id: c.id, wave, position: position++, status: 'pending' as const, reason: null }))),
      ...plan.skipped.map((c) => ({ campaign_id: id, cluster_id: c.id, wave: null, position: position++, status: 'skipped' as const, reason: c.reason })),
    ];
    for (let i = 0; i < rows.length; i += INSERT_BATCH) await tx.insertInto('campaign_clusters').values(rows.slice(i, i + INSERT_BATCH)).execute();
    await publishCampaignEvent(tx, campaign, null);
    return { campaign, plan };
  };
  return db.isTransaction ? run(db) : (db as Db).transaction().execute(run);
}
