/** `kaas clusters operations NAME`: the cluster's recent operations, newest first. */
import type { Operation } from '../../api-types.ts';
import type { Api } from '../../client.ts';

export async function listOperations(api: Api, opts: { team?: string | undefined; name: string; limit?: number }): Promise<{ items: Operation[] }> {
  return api.trpc.clusters.operations.query({ ...(opts.team ? { team: opts.team } : {}), name: opts.name, ...(opts.limit ? { limit: opts.limit } : {}) });
}
