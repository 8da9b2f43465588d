/** `kaas templates list [--all]`: the latest version of each template, or every version with --all. */
import type { Api } from '../../client.ts';
import { itemsOf, type ListAnswer, type Template } from '../../list-shape.ts';

export async function listTemplates(api: Api, opts: { all?: boolean }): Promise<Template[]> {
  return itemsOf(await api.call<ListAnswer<Template>>('query', 'templates.list', opts.all ? { all: true } : {}));
}
