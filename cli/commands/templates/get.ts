/** `kaas templates get REF`: a template (NAME or NAME@VERSION) with its definition. */
import type { Api } from '../../client.ts';
import type { Template } from '../../list-shape.ts';

export async function getTemplate(api: Api, opts: { ref: string }): Promise<Template> {
  return api.call<Template>('query', 'templates.get', { ref: opts.ref });
}
