/**
 * Opening an approval request: in the caller's transaction, supersede the thing's earlier pending
 * request for the same action (one open request per thing and action, an index enforces it),
 * insert the new one with the hash of its plan, and say so as an event and an audit row.
 */
import type { ApprovalAction, ApprovalRule } from '../../platform/approval-policy.ts';
import { writeAudit } from '../audit.ts';
import type { ApprovalRequestRow, Tx } from '../db/schema.ts';
import { publishEvent } from '../events/publish-event.ts';
import { newId } from '../ids.ts';
import { planHash } from './plan-hash.ts';

export interface NewApprovalRequest {
  action: ApprovalAction;
  /** Exactly one of cluster and campaign. */
  cluster?: { id: string; name: string; team_id: string } | undefined;
  campaign?: { id: string; name: string } | undefined;
  requester: string;
  rule: ApprovalRule;
  /** What will be done once approved; its hash is what an approval approves. */
  plan: Record<string, unknown>;
  operationId?: string | undefined;
  ttlHours: number;
  requestId: string;
}

/** The CloudEvents subject of a request. */
export function approvalSubject(row: Pick<ApprovalRequestRow, 'id'>): string {
  return `approvals/${row.id}`;
}

/** Marks `row` superseded (a newer plan replaced it) with an event, unless it was already decided. */
export async function supersede(tx: Tx, row: ApprovalRequestRow, reason: string, now = new Date()): Promise<void> {
  const [updated] = await tx.updateTable('approval_requests').set({ status: 'superseded', reason, decided_at: now }).where('id', '=', row.id).where('status', 'in', ['pending', 'approved']).execute();
  // already decided otherwise (expired, rejected, superseded): nothing to say
  if (!updated || updated.numUpdatedRows === 0n) return;
  await publishEvent(tx, { type: 'dev.kaas.approval.rejected', subject: approvalSubject(row), teamId: row.team_id, data: { id: row.id, action: row.action, status: 'superseded', reason } });
}

/** Opens a request (superseding the pending one it replaces) and returns it. */
export async function openApprovalRequest(tx: Tx, req: NewApprovalRequest, now = new Date()): Promise<ApprovalRequestRow> {
  const about = req.cluster ? tx.selectFrom('approval_requests').selectAll().where('cluster_id', '=', req.cluster.id) : tx.selectFrom('approval_requests').selectAll().where('campaign_id', '=', req.campaign!.id);
  const earlier = await about.where('action', '=', req.action).where('status', '=', 'pending').forUpdate().execute();
  for (const row of earlier) await supersede(tx, row, 'a newer request for the same action replaced it', now);
  const teamId = req.cluster?.team_id ?? null;
  const row = await tx
    .insertInto('approval_requests')
    .values({
      id: newId('a'),
      action: req.action,
      cluster_id: req.cluster?.id ?? null,
      campaign_id: req.campaign?.id ?? null,
      team_id: teamId,
      requester: req.requester,
      plan_hash: planHash(req.plan),
      plan: JSON.stringify(req.plan),
      operation_id: req.operationId ?? null,
      rule: JSON.stringify(req.rule),
      created_at: now,
      expires_at: new Date(now.getTime() + req.ttlHours * 3_600_000),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  const target = req.cluster?.name ?? req.campaign!.name;
  await publishEvent(tx, { type: 'dev.kaas.approval.requested', subject: approvalSubject(row), teamId, data: { id: row.id, action: row.action, target, requester: row.requester, planHash: row.plan_hash, rule: req.rule, expiresAt: row.expires_at.toISOString() } });
  await writeAudit(tx, { actor: req.requester, teamId, action: 'approvals.request', target, result: 'ok', requestId: req.requestId, detail: { id: row.id, action: row.action, planHash: row.plan_hash } });
  return row;
}
