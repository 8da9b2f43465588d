/** `kaas teams list`: every team (platform admins) or your own. */
import type { Api } from '../../client.ts';
import { itemsOf, type ListAnswer, type Team } from '../../list-shape.ts';

export async function listTeams(api: Api): Promise<Team[]> {
  return itemsOf(await api.call<ListAnswer<Team>>('query', 'teams.list', {}));
}
