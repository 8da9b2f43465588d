/** `kaas teams get NAME`: a team with its quota and usage. */
import type { Team } from '../../api-types.ts';
import type { Api } from '../../client.ts';

export async function getTeam(api: Api, opts: { name: string }): Promise<Team> {
  return api.trpc.teams.get.query({ name: opts.name });
}
