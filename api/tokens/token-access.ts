/**
 * Who may manage which tokens. A member manages none. A team admin issues member and team-admin
 * tokens of their own team and lists and revokes that team's tokens. A platform admin manages
 * tokens of any team and issues platform-admin tokens (which belong to no team).
 */
import { DomainError } from '../../platform/errors.ts';
import type { Actor, Role } from '../auth/tokens.ts';
import type { DbOrTx, TeamRow } from '../db/schema.ts';
import { ownTeam } from '../teams/own-team.ts';

/** Throws FORBIDDEN for plain members. */
export function assertMayManageTokens(actor: Actor): void {
  if (actor.role === 'member') throw new DomainError('FORBIDDEN', 'managing tokens needs the team-admin role', { hint: 'ask an admin of your team' });
}

async function teamNamed(db: DbOrTx, name: string): Promise<TeamRow> {
  const team = await db.selectFrom('teams').selectAll().where('name', '=', name).executeTakeFirst();
  if (!team) throw new DomainError('NOT_FOUND', `team "${name}" does not exist`, { hint: 'list teams with `kaas teams list`' });
  return team;
}

/** The team a new token of `role` belongs to (null for platform admins), or why it may not be issued. */
export async function teamForNewToken(db: DbOrTx, actor: Actor, role: Role, named: string | undefined): Promise<TeamRow | null> {
  assertMayManageTokens(actor);
  if (actor.role !== 'platform-admin') {
    if (role === 'platform-admin') throw new DomainError('FORBIDDEN', 'only platform admins can issue platform-admin tokens', { hint: 'issue a member or team-admin token' });
    return ownTeam(db, actor, named);
  }
  if (role === 'platform-admin') {
    if (named !== undefined) {
      throw new DomainError('VALIDATION', 'team: platform-admin tokens belong to no team', { hint: 'drop --team for a platform-admin token', issues: [{ path: 'team', message: 'must be omitted for role platform-admin' }] });
    }
    return null;
  }
  if (named === undefined) {
    throw new DomainError('VALIDATION', `team: a ${role} token needs a team`, { hint: 'pass --team TEAM', issues: [{ path: 'team', message: `required for role ${role}` }] });
  }
  return teamNamed(db, named);
}

/** The team whose tokens a listing shows: the admin's filter (undefined = all), a team admin's own. */
export async function teamForTokenListing(db: DbOrTx, actor: Actor, named: string | undefined): Promise<TeamRow | undefined> {
  assertMayManageTokens(actor);
  if (actor.role !== 'platform-admin') return ownTeam(db, actor, named);
  return named === undefined ? undefined : teamNamed(db, named);
}
