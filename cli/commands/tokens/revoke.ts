/** `kaas tokens revoke ID`. */
import type { Api } from '../../client.ts';

export async function revokeToken(api: Api, opts: { id: string }): Promise<{ id: string; revoked: true; answer: unknown }> {
  const answer = await api.call<unknown>('mutation', 'tokens.revoke', { id: opts.id });
  return { id: opts.id, revoked: true, answer };
}
