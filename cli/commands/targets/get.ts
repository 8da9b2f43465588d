/** `kaas targets get NAME`. */
import type { Api } from '../../client.ts';
import type { Target } from '../../list-shape.ts';

export async function getTarget(api: Api, opts: { name: string }): Promise<Target> {
  return api.call<Target>('query', 'targets.get', { name: opts.name });
}
