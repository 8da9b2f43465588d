/** `kaas templates get NAME[@VERSION]`: a template with its definition and every version's number. */
import type { TemplateDetail } from '../../api-types.ts';
import type { Api } from '../../client.ts';

export async function getTemplate(api: Api, opts: { name: string }): Promise<TemplateDetail> {
  return api.trpc.templates.get.query({ name: opts.name });
}
