/**
 * Which team a read across clusters covers: a member's or team admin's own team (naming another
 * is refused by the team-scope rule), or for a platform admin the named team or every team.
 */
import { DomainError } from '../../platform/errors.ts';
import type { Actor } from '../auth/tokens.ts';
import type { DbOrTx } from '../db/schema.ts';
import { ownTeam } from './own-team.ts';

/** The team id to narrow to; undefined means every team (platform admins only). */
export async function visibleTeamId(db: DbOrTx, actor: Actor, team: string | undefined): Promise<string | undefined> {
  if (actor.role !== 'platform-admin') {
    if (team !== undefined) await ownTeam(db, actor, team);
    return actor.teamId!;
  }
  if (team === undefined) return undefined;
  const row = await db.selectFrom('teams').select('id').where('name', '=', team).executeTakeFirst();
  if (!row) throw new DomainError('NOT_FOUND', `team "${team}" does not exist`, { hint: 'list teams with `kaas teams list`' });
  return row.id;
}
