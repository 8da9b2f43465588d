/**
 * Operator controls of a campaign: pause, resume, cancel and approve. Each locks the campaign row
 * (waiting for a tick in progress) and changes its status; the runner acts on it at its next tick.
 * Running operations are never interrupted: they finish and are recorded.
 *
 * - pause: running or awaiting approval → paused (no new cluster starts).
 * - resume: paused → running; halted → running after putting the current wave's failed clusters
 *   back to pending, so they are retried (fix the cause first).
 * - cancel: any unfinished campaign → cancelled; clusters not started yet are skipped.
 * - approve: awaiting approval → running, and the next wave may start.
 */
import { DomainError } from '../../platform/errors.ts';
import type { CampaignRow, CampaignStatus, Db, DbOrTx } from '../db/schema.ts';
import { publishCampaignEvent } from './campaign-event.ts';

export type CampaignAction = 'pause' | 'resume' | 'cancel' | 'approve';

const ALLOWED: Record<CampaignAction, readonly CampaignStatus[]> = {
  pause: ['running', 'awaiting_approval'],
  resume: ['paused', 'halted'],
  cancel: ['running', 'paused', 'awaiting_approval', 'halted'],
  approve: ['awaiting_approval'],
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
        ...(action === 'approve' ? { approved_wave: c.current_wave + 1 } : {}),
        ...(action === 'cancel' ? { finished_at: now } : {}),
      })
      .where('id', '=', c.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    if (updated.status !== c.status) await publishCampaignEvent(tx, updated, c.status);
    return updated;
  });
}
