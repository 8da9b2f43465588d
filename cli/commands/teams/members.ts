/** `kaas teams members [--team TEAM]`: the team and the subjects holding live tokens of it. */
import type { TeamMembers } from '../../api-types.ts';
import type { Api } from '../../client.ts';

export async function teamMembers(api: Api, opts: { team?: string | undefined }): Promise<TeamMembers> {
  return api.trpc.teams.members.query(opts.team ? { team: opts.team } : {});
}
