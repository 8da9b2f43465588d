/**
 * Expiry: a pending request past its `expires_at` is marked expired (with an event) by the
 * workers' sweep (expiry-sweep.ts) or when it is next read or decided, whichever comes first; an
 * expired request can never be approved.
 */
import type { ApprovalRequestRow, DbOrTx } from '../db/schema.ts';
import { publishEvent } from '../events/publish-event.ts';
import { approvalSubject } from './open-request.ts';

/** Marks every pending request past its expiry expired; returns them. */
export async function expireDueRequests(db: DbOrTx, now = new Date()): Promise<ApprovalRequestRow[]> {
  const rows = await db
    .updateTable('approval_requests')
    .set({ status: 'expired', reason: 'no decision before it expired', decided_at: now })
    .where('status', '=', 'pending')
    .where('expires_at', '<=', now)
    .returningAll()
    .execute();
  for (const row of rows) {
    await publishEvent(db, { type: 'dev.kaas.approval.expired', subject: approvalSubject(row), teamId: row.team_id, data: { id: row.id, action: row.action, requester: row.requester, expiresAt: row.expires_at.toISOString() } });
  }
  return rows;
}
