/** `kaas tokens list [--team TEAM]`: tokens (never their secrets). */
import type { Api } from '../../client.ts';
import { itemsOf, type ListAnswer, type TokenInfo } from '../../list-shape.ts';

export async function listTokens(api: Api, opts: { team?: string | undefined }): Promise<TokenInfo[]> {
  return itemsOf(await api.call<ListAnswer<TokenInfo>>('query', 'tokens.list', opts.team ? { team: opts.team } : {}));
}
