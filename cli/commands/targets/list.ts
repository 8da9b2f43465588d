/** `kaas targets list [--cloud C]`: where clusters can be created. */
import type { Target } from '../../api-types.ts';
import type { Api } from '../../client.ts';
import { CLOUDS, type Cloud } from './create.ts';
import { usageError } from '../../errors.ts';

export async function listTargets(api: Api, opts: { cloud?: string | undefined } = {}): Promise<Target[]> {
  if (opts.cloud !== undefined && !(CLOUDS as readonly string[]).includes(opts.cloud)) throw usageError(`--cloud "${opts.cloud}" is not one of ${CLOUDS.join(', ')}`);
  return (await api.trpc.targets.list.query(opts.cloud ? { cloud: opts.cloud as Cloud } : {})).items;
}
