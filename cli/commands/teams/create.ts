/** `kaas teams create NAME [quota flags]` (platform admins). */
import type { Api } from '../../client.ts';
import type { Quota, Team } from '../../list-shape.ts';

export async function createTeam(api: Api, opts: { name: string; quota?: Quota | undefined }): Promise<Team> {
  return api.call<Team>('mutation', 'teams.create', { name: opts.name, ...(opts.quota ? { quota: opts.quota } : {}) });
}
