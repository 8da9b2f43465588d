/** What the API returns for an approval request (never the raw row). */
import type { ApprovalAction, ApprovalRule } from '../../platform/approval-policy.ts';
import type { ApprovalGiven, ApprovalRequestRow, ApprovalStatus } from '../db/schema.ts';

export interface ApprovalRequest {
  id: string;
  action: ApprovalAction;
  /** `cluster NAME` or `campaign NAME`. */
  target: string;
  team: string | null;
  requester: string;
  status: ApprovalStatus;
  planHash: string;
  plan: Record<string, unknown>;
  rule: ApprovalRule;
  approvals: ApprovalGiven[];
  reason: string | null;
  decidedBy: string | null;
  operationId: string | null;
  startedOperationId: string | null;
  createdAt: string;
  expiresAt: string;
  decidedAt: string | null;
}

/** Maps a row (with its cluster/campaign and team names) to the API type. */
export function approvalRowToApproval(row: ApprovalRequestRow, names: { target: string; team: string | null }): ApprovalRequest {
  return {
    id: row.id,
    action: row.action,
    target: names.target,
    team: names.team,
    requester: row.requester,
    status: row.status,
    planHash: row.plan_hash,
    plan: row.plan,
    rule: row.rule,
    approvals: row.approvals,
    reason: row.reason,
    decidedBy: row.decided_by,
    operationId: row.operation_id,
    startedOperationId: row.started_operation_id,
    createdAt: row.created_at.toISOString(),
    expiresAt: row.expires_at.toISOString(),
    decidedAt: row.decided_at?.toISOString() ?? null,
  };
}
