/**
 * Approving or rejecting a request, in one transaction with the request row locked:
 * - an expired request is marked expired (event) and refused;
 * - the rule (platform/approval-policy.ts) says whether this actor may decide — never the
 *   requester, by subject, whichever token they present;
 * - an approval is refused, and the request superseded, when the plan the action would carry out
 *   now hashes differently from the one requested;
 * - once enough approvers approved, the action starts (APPROVAL_FLOWS) in the same transaction;
 *   a rejection ends what waited on it with the reason.
 * Each decision is an event; its audit row is the mutation's own (api/trpc.ts), to which
 * `audit` adds the team and what was decided.
 */
import { assertMayDecide, isSatisfied, type ApproverRole } from '../../platform/approval-policy.ts';
import { DomainError } from '../../platform/errors.ts';
import type { Actor } from '../auth/tokens.ts';
import type { Services } from '../context.ts';
import type { AuditSlot } from '../trpc.ts';
import type { ApprovalRequestRow } from '../db/schema.ts';
import { publishEvent } from '../events/publish-event.ts';
import { APPROVAL_FLOWS } from './approval-actions.ts';
import { findApproval } from './approval-queries.ts';
import { approvalSubject, supersede } from './open-request.ts';
import { planHash } from './plan-hash.ts';

/** An actor as the rule sees it; `groups` come from an SSO sign-in (API tokens have none). */
function approverOf(actor: Actor): { subject: string; role: ApproverRole; teamId: string | null; groups?: readonly string[] } {
  const groups = actor.groups;
  return { subject: actor.subject, role: actor.role, teamId: actor.teamId, ...(groups ? { groups } : {}) };
}

type Outcome = { row: ApprovalRequestRow } | { refused: DomainError };

/** Approves (`reason` optional) or rejects (`reason` required) request `id`; returns the updated row. */
export async function decideApproval(services: Services, actor: Actor, id: string, decision: 'approve' | 'reject', reason: string | undefined, requestId: string, slot: AuditSlot): Promise<ApprovalRequestRow> {
  const outcome = await services.db.transaction().execute(async (tx): Promise<Outcome> => {
    const req = await findApproval(tx, actor, id, { forUpdate: true });
    const now = new Date();
    // the mutation's audit row (written whatever the outcome) says which request and what happened
    const audit = async (detail: Record<string, unknown>) => {
      slot.teamId = req.team_id;
      slot.detail = { approval: req.id, action: req.action, ...detail };
    };
    if (req.status === 'pending' && req.expires_at.getTime() <= now.getTime()) {
      // recorded even though the decision is refused: the transaction commits the expiry
      await tx.updateTable('approval_requests').set({ status: 'expired', reason: 'no decision before it expired', decided_at: now }).where('id', '=', req.id).execute();
      await publishEvent(tx, { type: 'dev.kaas.approval.expired', subject: approvalSubject(req), teamId: req.team_id, data: { id: req.id, action: req.action, requester: req.requester, expiresAt: req.expires_at.toISOString() } });
      await audit({ refused: 'expired' });
      return { refused: new DomainError('PRECONDITION_FAILED', `approval request ${req.id} expired at ${req.expires_at.toISOString()}`, { hint: 'ask for it again: repeat the action that requested it' }) };
    }
    if (req.status !== 'pending') {
      throw new DomainError('PRECONDITION_FAILED', `approval request ${req.id} is ${req.status}${req.reason ? ` (${req.reason})` : ''}; only a pending one can be decided`, { hint: 'list open requests with `kaas approvals list`' });
    }
    const approvedBy = req.approvals.map((a) => a.subject);
    try {
      assertMayDecide({ requester: req.requester, teamId: req.team_id, rule: req.rule, approvedBy }, approverOf(actor), decision);
    } catch (err) {
      await audit({ refused: err instanceof Error ? err.message : String(err) });
      return { refused: err as DomainError };
    }
    const flow = APPROVAL_FLOWS[req.action];
    if (decision === 'reject') {
      const why = `rejected by ${actor.subject}: ${reason}`;
      await flow.reject(tx, req, why);
      const row = await tx.updateTable('approval_requests').set({ status: 'rejected', reason: reason!, decided_by: actor.subject, decided_at: now }).where('id', '=', req.id).returningAll().executeTakeFirstOrThrow();
      await publishEvent(tx, { type: 'dev.kaas.approval.rejected', subject: approvalSubject(req), teamId: req.team_id, data: { id: req.id, action: req.action, status: 'rejected', by: actor.subject, reason } });
      await audit({ reason });
      return { row };
    }
    const current = await flow.currentPlan(tx, req);
    if (current !== undefined && planHash(current) !== req.plan_hash) {
      await supersede(tx, req, 'the plan changed after it was requested', now);
      await audit({ refused: 'plan changed', requested: req.plan_hash, now: planHash(current) });
      return { refused: new DomainError('CONFLICT', `approval request ${req.id} is for a plan that changed since it was requested; it is superseded`, { hint: 'request it again so approvers see the current plan' }) };
    }
    const approvals = [...req.approvals, { subject: actor.subject, role: actor.role, at: now.toISOString() }];
    const satisfied = isSatisfied(req.rule, approvals.map((a) => a.subject));
    let row = await tx
      .updateTable('approval_requests')
      .set({ approvals: JSON.stringify(approvals), ...(satisfied ? { status: 'approved' as const, decided_by: actor.subject, decided_at: now, ...(reason ? { reason } : {}) } : {}) })
      .where('id', '=', req.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    if (satisfied) {
      const started = await flow.proceed(services, tx, row, actor, requestId);
      if (started) row = await tx.updateTable('approval_requests').set({ started_operation_id: started }).where('id', '=', req.id).returningAll().executeTakeFirstOrThrow();
    }
    await publishEvent(tx, {
      type: 'dev.kaas.approval.approved',
      subject: approvalSubject(req),
      teamId: req.team_id,
      data: { id: req.id, action: req.action, by: actor.subject, approvals: approvals.length, required: req.rule.approvers, satisfied, startedOperation: row.started_operation_id },
    });
    await audit({ satisfied, approvals: approvals.length, required: req.rule.approvers, ...(reason ? { reason } : {}) });
    return { row };
  });
  if ('refused' in outcome) throw outcome.refused;
  return outcome.row;
}
