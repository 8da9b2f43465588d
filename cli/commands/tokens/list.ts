/** `kaas tokens list [--team TEAM] [--all] [--cursor C]`: tokens (never their secrets), newest first. */
import type { TokenPage } from '../../api-types.ts';
import type { Api } from '../../client.ts';

export async function listTokens(api: Api, opts: { team?: string | undefined; all?: boolean; cursor?: string | undefined }): Promise<TokenPage> {
  return api.trpc.tokens.list.query({ ...(opts.team ? { team: opts.team } : {}), includeInactive: opts.all ?? false, ...(opts.cursor ? { cursor: opts.cursor } : {}) });
}
