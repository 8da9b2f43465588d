/** `kaas targets list`: where clusters can be created. */
import type { Api } from '../../client.ts';
import { itemsOf, type ListAnswer, type Target } from '../../list-shape.ts';

export async function listTargets(api: Api): Promise<Target[]> {
  return itemsOf(await api.call<ListAnswer<Target>>('query', 'targets.list', {}));
}
