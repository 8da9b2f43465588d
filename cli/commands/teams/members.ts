/** `kaas teams members [--team TEAM]`: who holds tokens for the team. */
import type { Api } from '../../client.ts';
import { itemsOf, type ListAnswer, type Member } from '../../list-shape.ts';

export async function teamMembers(api: Api, opts: { team?: string | undefined }): Promise<Member[]> {
  return itemsOf(await api.call<ListAnswer<Member>>('query', 'teams.members', opts.team ? { team: opts.team } : {}));
}
