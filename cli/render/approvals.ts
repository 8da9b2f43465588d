/** Tables and lines for `kaas approvals …`. */
import type { ApprovalRequest } from '../api-types.ts';
import { renderTable } from './table.ts';

export function approvalListTable(page: { items: ApprovalRequest[] }): string {
  return renderTable(
    [
      { header: 'id', value: (a: ApprovalRequest) => a.id },
      { header: 'action', value: (a) => a.action },
      { header: 'target', value: (a) => a.target },
      { header: 'team', value: (a) => a.team ?? '-' },
      { header: 'requester', value: (a) => a.requester },
      { header: 'status', value: (a) => a.status },
      { header: 'approvals', value: (a) => `${a.approvals.length}/${a.rule.approvers} (${[...a.rule.roles, ...a.rule.groups.map((g) => `group:${g}`)].join('|')})` },
      { header: 'expires', value: (a) => a.expiresAt },
    ],
    page.items,
    'no approval requests',
  );
}

/** After approve or reject. */
export function approvalDecisionText({ approval: a }: { approval: ApprovalRequest }): string {
  if (a.status === 'approved') return `approval request ${a.id} (${a.action} of ${a.target}) is approved${a.startedOperationId ? `; started operation ${a.startedOperationId}` : ''}`;
  if (a.status === 'pending') return `approval request ${a.id} (${a.action} of ${a.target}): ${a.approvals.length} of ${a.rule.approvers} approvals; it needs more`;
  return `approval request ${a.id} (${a.action} of ${a.target}) is ${a.status}${a.reason ? `: ${a.reason}` : ''}`;
}
