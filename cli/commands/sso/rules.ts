/** `kaas sso-rules list|add|remove`: which identity-provider groups map to which kaas role and team (platform admins). */
import type { Api } from '../../client.ts';
import { usageError } from '../../errors.ts';

export const SSO_ROLES = ['member', 'team-admin', 'platform-admin'] as const;
type SsoRole = (typeof SSO_ROLES)[number];

export async function listRules(api: Api) {
  return { items: await api.trpc.sso.rules.list.query() };
}

export async function addRule(api: Api, opts: { group: string; role: string; team?: string | undefined }) {
  if (!(SSO_ROLES as readonly string[]).includes(opts.role)) throw usageError(`--role "${opts.role}" is not a role`, `one of ${SSO_ROLES.join(', ')}`);
  return api.trpc.sso.rules.add.mutate({ group: opts.group, role: opts.role as SsoRole, ...(opts.team ? { team: opts.team } : {}) });
}

export async function removeRule(api: Api, id: string) {
  return api.trpc.sso.rules.remove.mutate({ id });
}
