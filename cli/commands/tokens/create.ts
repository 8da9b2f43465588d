/** `kaas tokens create --subject S --role R [--team T] [--ttl-days N]`: the token is shown once. */
import type { NewToken } from '../../api-types.ts';
import type { Api } from '../../client.ts';
import { usageError } from '../../errors.ts';

export const ROLES = ['member', 'team-admin', 'platform-admin'] as const;
type Role = (typeof ROLES)[number];

export async function createToken(api: Api, opts: { team?: string | undefined; subject: string; role: string; ttlDays?: string | undefined }): Promise<NewToken> {
  if (!(ROLES as readonly string[]).includes(opts.role)) throw usageError(`--role "${opts.role}" is not one of ${ROLES.join(', ')}`);
  let ttlDays: number | undefined;
  if (opts.ttlDays !== undefined) {
    if (!/^\d+$/.test(opts.ttlDays) || Number(opts.ttlDays) < 1) throw usageError(`--ttl-days "${opts.ttlDays}" must be a whole number of days, at least 1`);
    ttlDays = Number(opts.ttlDays);
  }
  return api.trpc.tokens.create.mutate({ ...(opts.team ? { team: opts.team } : {}), subject: opts.subject, role: opts.role as Role, ...(ttlDays !== undefined ? { ttlDays } : {}) });
}
