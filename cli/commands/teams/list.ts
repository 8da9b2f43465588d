/** `kaas teams list`: every team (platform admins) or your own, with quota and usage. */
import type { Team } from '../../api-types.ts';
import type { Api } from '../../client.ts';

export async function listTeams(api: Api): Promise<Team[]> {
  return (await api.trpc.teams.list.query()).items;
}
