/** `kaas teams get NAME`: a team with its quota and usage. */
import type { Api } from '../../client.ts';
import type { Team } from '../../list-shape.ts';

export async function getTeam(api: Api, opts: { name: string }): Promise<Team> {
  return api.call<Team>('query', 'teams.get', { name: opts.name });
}
