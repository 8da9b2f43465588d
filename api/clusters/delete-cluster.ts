/**
 * Starting a cluster's ordered deletion: refused under deletion protection; a protected or
 * production cluster's delete opens an approval request (approvers other than the requester)
 * instead of starting; otherwise the `delete` operation starts. Shared by `clusters.delete` and the
 * lifetime pass (api/worker/lifetime-schedule.ts), so an expired cluster goes through the same
 * path: deletion protection holds it, and a protected cluster's expiry asks for approval.
 */
import { approvalRuleFor, isProtectedCluster } from '../../platform/approval-policy.ts';
import { DomainError } from '../../platform/errors.ts';
import { deletePlan } from '../approvals/approval-actions.ts';
import { policyOfCluster } from '../approvals/approval-policy-of.ts';
import { openApprovalRequest } from '../approvals/open-request.ts';
import type { Actor } from '../auth/tokens.ts';
import type { Services } from '../context.ts';
import type { ApprovalRequestRow, ClusterRow, OperationRow, Tx } from '../db/schema.ts';
import { assertOperationAllowed, insertOperation } from './start-operation.ts';

export type DeleteStart = { operation: OperationRow; approval: null } | { operation: null; approval: ApprovalRequestRow };

/**
 * Starts the delete of `row` inside `tx` (the caller holds the row's lock): an operation (refused
 * by `insertOperation` while another one is active), or an approval request (which may open while
 * one runs; approving starts the delete then).
 */
export async function startClusterDeleteIn(services: Services, tx: Tx, row: ClusterRow, actor: Actor, requestId: string, input: Record<string, unknown> = {}): Promise<DeleteStart> {
  if ((row.spec as { deletionProtection?: boolean }).deletionProtection) {
    throw new DomainError('PRECONDITION_FAILED', `cluster "${row.name}" has deletion protection on`, { hint: `turn it off first: kaas clusters update ${row.name} --set deletionProtection=false` });
  }
  assertOperationAllowed(row, 'delete');
  // a protected or production cluster's delete waits for approvers other than the requester
  const rule = approvalRuleFor(await policyOfCluster(tx, row), 'delete', { protectedCluster: isProtectedCluster(row.labels) });
  if (rule) return { operation: null, approval: await openApprovalRequest(tx, { action: 'delete', cluster: row, requester: actor.subject, rule, plan: deletePlan(row), ttlHours: services.config.approvalTtlHours, requestId }) };
  return { operation: await insertOperation(services, tx, row, 'delete', actor, requestId, input), approval: null };
}

/** Locks the cluster and starts its delete (`clusters.delete`). */
export async function startClusterDelete(services: Services, row: ClusterRow, actor: Actor, requestId: string): Promise<DeleteStart> {
  return services.db.transaction().execute(async (tx) => {
    const locked = await tx.selectFrom('clusters').selectAll().where('id', '=', row.id).forUpdate().executeTakeFirstOrThrow();
    return startClusterDeleteIn(services, tx, locked, actor, requestId);
  });
}
