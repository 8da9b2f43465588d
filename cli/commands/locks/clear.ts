/** `kaas locks clear CLUSTER --reason TEXT [--lock ID] [--force] [--team T]`: the audited removal of a stack lock. */
import type { ClearedLocks } from '../../api-types.ts';
import type { Api } from '../../client.ts';

export async function clearLock(api: Api, opts: { cluster: string; reason: string; lock?: string | undefined; force?: boolean | undefined; team?: string | undefined }): Promise<ClearedLocks> {
  return api.trpc.admin.locks.clear.mutate({
    cluster: opts.cluster,
    reason: opts.reason,
    ...(opts.lock ? { lock: opts.lock } : {}),
    ...(opts.force ? { force: true } : {}),
    ...(opts.team ? { team: opts.team } : {}),
  });
}
