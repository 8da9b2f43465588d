/** `kaas versions [--cloud C] [--target NAME]`: Kubernetes versions per cloud with their support phase today. */
import type { VersionsList } from '../../api-types.ts';
import type { Api } from '../../client.ts';
import { usageError } from '../../errors.ts';
import { CLOUDS, type Cloud } from '../targets/create.ts';

export async function listVersions(api: Api, opts: { cloud?: string | undefined; target?: string | undefined }): Promise<VersionsList> {
  if (opts.cloud !== undefined && !(CLOUDS as readonly string[]).includes(opts.cloud)) throw usageError(`--cloud "${opts.cloud}" is not one of ${CLOUDS.join(', ')}`);
  return api.trpc.versions.list.query({ ...(opts.cloud ? { cloud: opts.cloud as Cloud } : {}), ...(opts.target ? { target: opts.target } : {}) });
}
