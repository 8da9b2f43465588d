/**
 * Operator controls of a campaign: pause, resume, cancel and approve. Each locks the campaign row
 * (waiting for a tick in progress) and changes its status; the runner acts on it at its next tick.
 * Running operations are never interrupted: they finish and are recorded.
 *
 * - pause: running or awaiting approval → paused (no new cluster starts).
 * - resume: paused → running; halted → running after putting the current wave's failed clusters
 *   back to pending, so they are retried (fix the cause first).
 * - cancel: any unfinished campaign → cancelled; clusters not started yet are skipped.
 * - approve: not here. A wave's approval is an approval request (api/approvals/*): its approval
 *   calls `approveWave`, its rejection `haltForRejection`, so the requester cannot approve it.
 */
import { DomainError } from '../../platform/errors.ts';
import type { CampaignRow, CampaignStatus, Db, DbOrTx, Tx } from '../db/schema.ts';
import { publishCampaignEvent } from './campaign-event.ts';

export type CampaignAction = 'pause' | 'resume' | 'cancel';

const ALLOWED: Record<CampaignAction, readonly CampaignStatus[]> = {
  pause: ['running', 'awaiting_approval'],
  resume: ['paused', 'halted'],
  cancel: ['running', 'paused', 'awaiting_approval', 'halted'],
};

/** The campaign named or identified by `ref` (locked with `forUpdate`); NOT_FOUND otherwise. */
export async function findCampaign(db: DbOrTx, ref: string, opts: { forUpdate?: boolean } = {}): Promise<CampaignRow> {
  const query = db.selectFrom('campaigns').selectAll().where((eb) => eb.or([eb('id', '=', ref), eb('name', '=', ref)]));
  const row = await (opts.forUpdate ? query.forUpdate() : query).executeTakeFirst();
  if (!row) throw new DomainError('NOT_FOUND', `campaign "${ref}" does not exist`, { hint: 'list campaigns with `kaas fleet list`' });
  return row;
}

/** Applies `action` to campaign `ref`; PRECONDITION_FAILED when its status does not allow it. */
export async function controlCampaign(db: Db, ref: string, action: CampaignAction, now = new Date()): Promise<CampaignRow> {
  return db.transaction().execute(async (tx) => {
    const c = await findCampaign(tx, ref, { forUpdate: true });
    if (!ALLOWED[action].includes(c.status)) {
      throw new DomainError('PRECONDITION_FAILED', `cannot ${action} campaign "${c.name}": it is ${c.status.replace('_', ' ')}`, { hint: `${action} works on a campaign that is ${ALLOWED[action].join(' or ').replace(/_/g, ' ')}` });
    }
    const member = tx.updateTable('campaign_clusters').where('campaign_id', '=', c.id);
    if (action === 'resume' && c.status === 'halted') {
      await member.set({ status: 'pending', reason: 'retried after resume', finished_at: null, updated_at: now }).where('wave', '=', c.current_wave).where('status', '=', 'failed').execute();
    }
    if (action === 'cancel') {
      await member.set({ status: 'skipped', reason: 'the campaign was cancelled', updated_at: now }).where('status', 'in', ['pending', 'waiting_window']).execute();
    }
    const status: CampaignStatus = action === 'pause' ? 'paused' : action === 'cancel' ? 'cancelled' : 'running';
    const updated = await tx
      .updateTable('campaigns')
      .set({
        status,
        status_reason: action === 'pause' || action === 'cancel' ? `${action === 'pause' ? 'paused' : 'cancelled'} by an operator` : null,
        updated_at: now,
        ...(action === 'cancel' ? { finished_at: now } : {}),
      })
      .where('id', '=', c.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    if (updated.status !== c.status) await publishCampaignEvent(tx, updated, c.status);
    return updated;
  });
}

/** What approving the next wave approves: the campaign, the wave and its frozen clusters. */
export async function wavePlan(db: DbOrTx, c: CampaignRow): Promise<Record<string, unknown>> {
  const wave = c.current_wave + 1;
  const members = await db.selectFrom('campaign_clusters').select('cluster_id').where('campaign_id', '=', c.id).where('wave', '=', wave).orderBy('position').execute();
  return { campaignId: c.id, wave, waveName: c.wave_names[wave] ?? null, clusters: members.map((m) => m.cluster_id) };
}

/** An approved wave: the campaign runs again and may start it. PRECONDITION_FAILED unless awaiting approval. */
export async function approveWave(tx: Tx, c: CampaignRow, now = new Date()): Promise<void> {
  if (c.status !== 'awaiting_approval') throw new DomainError('PRECONDITION_FAILED', `campaign "${c.name}" is ${c.status.replace('_', ' ')}, not awaiting approval`, { hint: 'resume it first if it is paused' });
  const next = await tx.updateTable('campaigns').set({ status: 'running', status_reason: null, approved_wave: c.current_wave + 1, updated_at: now }).where('id', '=', c.id).returningAll().executeTakeFirstOrThrow();
  await publishCampaignEvent(tx, next, c.status);
}

/** A rejected wave: the campaign halts with the reason (resume asks again). */
export async function haltForRejection(tx: Tx, c: CampaignRow, reason: string, now = new Date()): Promise<void> {
  if (c.status !== 'awaiting_approval') return;
  const next = await tx.updateTable('campaigns').set({ status: 'halted', status_reason: reason, updated_at: now }).where('id', '=', c.id).returningAll().executeTakeFirstOrThrow();
  await publishCampaignEvent(tx, next, c.status);
}
