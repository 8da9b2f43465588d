/** `kaas locks list [--cluster NAME] [--team T]`: the Pulumi stack locks in the state backend, with the platform's verdict. */
import type { StackLockList } from '../../api-types.ts';
import type { Api } from '../../client.ts';

export async function listLocks(api: Api, opts: { cluster?: string | undefined; team?: string | undefined }): Promise<StackLockList> {
  return api.trpc.admin.locks.list.query({ ...(opts.cluster ? { cluster: opts.cluster } : {}), ...(opts.team ? { team: opts.team } : {}) });
}
