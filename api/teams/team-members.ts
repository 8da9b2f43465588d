/**
 * Team members: in this design a member is a token subject (there is no users table). A subject
 * is a member while it holds at least one live (unrevoked, unexpired) token of the team. Its
 * usage is the live clusters it asked for (the actor of each cluster's `create` operation).
 */
import type { Role } from '../auth/tokens.ts';
import type { DbOrTx } from '../db/schema.ts';

export interface TeamMember {
  subject: string;
  /** Roles of the subject's live tokens, highest first. */
  roles: Role[];
  liveTokens: number;
  /** Latest expiry of the subject's live tokens. */
  expiresAt: string;
  /** Live clusters the subject created, and their desired nodes. */
  usage: { clusters: number; nodes: number };
}

const ROLE_ORDER: Role[] = ['platform-admin', 'team-admin', 'member'];

/** The members of a team, by subject. */
export async function teamMembers(db: DbOrTx, teamId: string, now = new Date()): Promise<TeamMember[]> {
  const tokens = await db
    .selectFrom('tokens')
    .select(['subject', 'role', 'expires_at'])
    .where('team_id', '=', teamId)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', now)
    .execute();
  const usage = await db
    .selectFrom('clusters')
    .innerJoin('operations', (j) => j.onRef('operations.cluster_id', '=', 'clusters.id').on('operations.kind', '=', 'create'))
    .select((eb) => ['operations.actor', eb.fn.countAll<string>().as('clusters'), eb.fn.coalesce(eb.fn.sum<string>('clusters.node_count'), eb.lit(0)).as('nodes')])
    .where('clusters.team_id', '=', teamId)
    .where('clusters.deleted_at', 'is', null)
    .groupBy('operations.actor')
    .execute();
  const usageBy = new Map(usage.map((u) => [u.actor, { clusters: Number(u.clusters), nodes: Number(u.nodes) }]));
  const bySubject = new Map<string, TeamMember>();
  for (const t of tokens) {
    const m = bySubject.get(t.subject) ?? { subject: t.subject, roles: [], liveTokens: 0, expiresAt: t.expires_at.toISOString(), usage: usageBy.get(t.subject) ?? { clusters: 0, nodes: 0 } };
    if (!m.roles.includes(t.role)) m.roles.push(t.role);
    m.liveTokens += 1;
    if (t.expires_at.toISOString() > m.expiresAt) m.expiresAt = t.expires_at.toISOString();
    bySubject.set(t.subject, m);
  }
  return [...bySubject.values()]
    .map((m) => ({ ...m, roles: [...m.roles].sort((a, b) => ROLE_ORDER.indexOf(a) - ROLE_ORDER.indexOf(b)) }))
    .sort((a, b) => a.subject.localeCompare(b.subject));
}
