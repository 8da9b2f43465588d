/** `kaas teams set-quota NAME [quota flags]` (platform admins). */
import type { Api } from '../../client.ts';
import { usageError } from '../../errors.ts';
import type { Quota, Team } from '../../list-shape.ts';

export async function setTeamQuota(api: Api, opts: { name: string; quota: Quota | undefined }): Promise<Team> {
  if (!opts.quota) throw usageError('no quota change given', 'pass --max-clusters, --max-nodes, --allowed-targets or --allowed-templates');
  return api.call<Team>('mutation', 'teams.setQuota', { name: opts.name, quota: opts.quota });
}
