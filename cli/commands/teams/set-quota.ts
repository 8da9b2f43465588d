/** `kaas teams set-quota NAME [quota flags]` (platform admins). */
import type { QuotaInput, Team } from '../../api-types.ts';
import type { Api } from '../../client.ts';
import { usageError } from '../../errors.ts';

export async function setTeamQuota(api: Api, opts: { name: string; quota: QuotaInput | undefined }): Promise<Team> {
  if (!opts.quota) throw usageError('no quota change given', 'pass --max-clusters, --max-nodes, --allowed-targets or --allowed-templates');
  return api.trpc.teams.setQuota.mutate({ name: opts.name, quota: opts.quota });
}
