/**
 * `kaas clusters reconcile NAME`: re-apply the declared spec over what the cloud has. When that
 * would delete or replace resources the operation applies nothing, opens an approval request
 * (someone other than the requester approves it: `kaas approvals approve ID`), and its result says
 * `needsApproval` with the destructive steps and the request.
 */
import type { Operation } from '../../api-types.ts';
import type { Api } from '../../client.ts';

export async function reconcileCluster(api: Api, opts: { team?: string | undefined; name: string }): Promise<{ operation: Operation }> {
  return api.trpc.clusters.reconcile.mutate({ ...(opts.team ? { team: opts.team } : {}), name: opts.name });
}
