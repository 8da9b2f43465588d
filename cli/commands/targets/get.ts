/** `kaas targets get NAME`. */
import type { Target } from '../../api-types.ts';
import type { Api } from '../../client.ts';

export async function getTarget(api: Api, opts: { name: string }): Promise<Target> {
  return api.trpc.targets.get.query({ name: opts.name });
}
