/** `kaas teams create NAME [quota flags]` (platform admins). */
import type { QuotaInput, Team } from '../../api-types.ts';
import type { Api } from '../../client.ts';

export async function createTeam(api: Api, opts: { name: string; quota?: QuotaInput | undefined }): Promise<Team> {
  return api.trpc.teams.create.mutate({ name: opts.name, ...(opts.quota ? { quota: opts.quota } : {}) });
}
