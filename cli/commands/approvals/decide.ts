/** `kaas approvals approve ID [--reason TEXT]` and `kaas approvals reject ID --reason TEXT`. */
import type { ApprovalRequest } from '../../api-types.ts';
import type { Api } from '../../client.ts';

export async function approveRequest(api: Api, opts: { id: string; reason?: string | undefined }): Promise<{ approval: ApprovalRequest }> {
  return api.trpc.approvals.approve.mutate({ id: opts.id, ...(opts.reason ? { reason: opts.reason } : {}) });
}

export async function rejectRequest(api: Api, opts: { id: string; reason: string }): Promise<{ approval: ApprovalRequest }> {
  return api.trpc.approvals.reject.mutate({ id: opts.id, reason: opts.reason });
}
