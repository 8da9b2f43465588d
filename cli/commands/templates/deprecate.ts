/** `kaas templates deprecate REF --message M`: new clusters can no longer use it; existing ones keep it. */
import type { Api } from '../../client.ts';
import type { Template } from '../../list-shape.ts';

export async function deprecateTemplate(api: Api, opts: { ref: string; message: string }): Promise<Template> {
  return api.call<Template>('mutation', 'templates.deprecate', { ref: opts.ref, message: opts.message });
}
