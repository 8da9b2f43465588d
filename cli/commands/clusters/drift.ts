/** `kaas clusters drift NAME`: start a drift check (a read-only refresh against the cloud). */
import type { Operation } from '../../api-types.ts';
import type { Api } from '../../client.ts';

export async function checkDrift(api: Api, opts: { team?: string | undefined; name: string }): Promise<{ operation: Operation }> {
  return api.trpc.clusters.drift.mutate({ ...(opts.team ? { team: opts.team } : {}), name: opts.name });
}
