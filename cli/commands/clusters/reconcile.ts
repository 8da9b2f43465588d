/**
 * `kaas clusters reconcile NAME [--approve]`: re-apply the declared spec over what the cloud has.
 * When that would delete or replace resources the operation applies nothing unless approved, and
 * its result says `needsApproval` with the destructive steps.
 */
import type { Operation } from '../../api-types.ts';
import type { Api } from '../../client.ts';

export async function reconcileCluster(api: Api, opts: { team?: string | undefined; name: string; approve: boolean }): Promise<{ operation: Operation }> {
  return api.trpc.clusters.reconcile.mutate({ ...(opts.team ? { team: opts.team } : {}), name: opts.name, approve: opts.approve });
}
