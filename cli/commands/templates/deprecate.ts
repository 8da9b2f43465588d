/**
 * `kaas templates deprecate NAME[@VERSION] --message M`: new clusters can no longer use it;
 * existing ones keep it. Returns the versions now deprecated.
 */
import type { TemplateSummary } from '../../api-types.ts';
import type { Api } from '../../client.ts';

export async function deprecateTemplate(api: Api, opts: { name: string; message: string }): Promise<TemplateSummary[]> {
  return (await api.trpc.templates.deprecate.mutate({ name: opts.name, message: opts.message })).items;
}
