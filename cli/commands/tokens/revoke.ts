/** `kaas tokens revoke ID`: the token as it is now (status `revoked`). */
import type { Token } from '../../api-types.ts';
import type { Api } from '../../client.ts';

export async function revokeToken(api: Api, opts: { id: string }): Promise<Token> {
  return api.trpc.tokens.revoke.mutate({ id: opts.id });
}
