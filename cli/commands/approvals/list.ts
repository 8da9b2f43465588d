/** `kaas approvals list [--status STATUS]`: approval requests the caller can see, newest first (pending by default). */
import type { ApprovalRequest } from '../../api-types.ts';
import type { Api } from '../../client.ts';

export const APPROVAL_STATUSES = ['pending', 'approved', 'rejected', 'expired', 'superseded'] as const;
export type ApprovalStatusFilter = (typeof APPROVAL_STATUSES)[number] | 'all';

export async function listApprovals(api: Api, opts: { status?: ApprovalStatusFilter | undefined }): Promise<{ items: ApprovalRequest[] }> {
  const status = opts.status ?? 'pending';
  return api.trpc.approvals.list.query({ ...(status !== 'all' ? { status } : {}), limit: 50 });
}
