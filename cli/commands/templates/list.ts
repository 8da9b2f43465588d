/** `kaas templates list [--all] [--cloud C]`: the latest version of each template, or every version with --all. */
import type { TemplateSummary } from '../../api-types.ts';
import type { Api } from '../../client.ts';
import { usageError } from '../../errors.ts';
import { CLOUDS, type Cloud } from '../targets/create.ts';

export async function listTemplates(api: Api, opts: { all?: boolean; cloud?: string | undefined }): Promise<TemplateSummary[]> {
  if (opts.cloud !== undefined && !(CLOUDS as readonly string[]).includes(opts.cloud)) throw usageError(`--cloud "${opts.cloud}" is not one of ${CLOUDS.join(', ')}`);
  return (await api.trpc.templates.list.query({ all: opts.all ?? false, ...(opts.cloud ? { cloud: opts.cloud as Cloud } : {}) })).items;
}
