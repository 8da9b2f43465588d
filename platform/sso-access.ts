/**
 * Single sign-on access: which role (and team) a person's provider groups give them, by the
 * platform admins' group rules. Pure. One person acts with one role and at most one team (as an
 * API token does): the strongest role any of their groups grants wins (platform-admin, then
 * team-admin, then member); among rules of that role, the oldest rule decides the team.
 */
import { DomainError } from './errors.ts';

export type SsoRole = 'platform-admin' | 'team-admin' | 'member';

/** A group rule as the access decision needs it. */
export interface SsoRule {
  group: string;
  role: SsoRole;
  teamId: string | null;
  createdAt: Date;
}

export interface SsoAccess {
  role: SsoRole;
  teamId: string | null;
  /** The group whose rule decided. */
  group: string;
}

const RANK: Record<SsoRole, number> = { 'platform-admin': 0, 'team-admin': 1, member: 2 };

/** How a groups claim value reads as a list of groups: an array of strings, or one string; anything else is none. */
export function groupsOf(claim: unknown): string[] {
  if (typeof claim === 'string') return [claim];
  if (Array.isArray(claim)) return claim.filter((g): g is string => typeof g === 'string');
  return [];
}

/** The access `groups` give under `rules`, or a FORBIDDEN error naming the groups seen and the fix. */
export function ssoAccess(subject: string, groups: readonly string[], rules: readonly SsoRule[], groupsClaim: string): SsoAccess {
  const held = new Set(groups);
  const matching = rules.filter((r) => held.has(r.group)).sort((a, b) => RANK[a.role] - RANK[b.role] || a.createdAt.getTime() - b.createdAt.getTime());
  const best = matching[0];
  if (!best) {
    const seen = groups.length ? groups.slice(0, 20).map((g) => JSON.stringify(g.slice(0, 100))).join(', ') + (groups.length > 20 ? `, … (${groups.length} in all)` : '') : 'none';
    throw new DomainError('FORBIDDEN', `${subject} signed in, but none of their groups is mapped to a kaas role (groups in the token's "${groupsClaim}" claim: ${seen})`, {
      hint: groups.length
        ? 'ask a platform admin to map one of these groups: `kaas sso-rules add --group GROUP --role member --team TEAM`'
        : `the provider sent no "${groupsClaim}" claim: have it include the person's groups in the token (or set KAAS_OIDC_GROUPS_CLAIM), and ask a platform admin to map a group with \`kaas sso-rules add\``,
    });
  }
  return { role: best.role, teamId: best.role === 'platform-admin' ? null : best.teamId, group: best.group };
}
