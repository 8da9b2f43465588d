/** Loads the team of a member's or team admin's token, applying the platform's team-scope rule. */
import { assertOwnTeam } from '../../platform/team-scope.ts';
import type { Actor } from '../auth/tokens.ts';
import type { DbOrTx, TeamRow } from '../db/schema.ts';

/** The actor's own team row; FORBIDDEN when `named` is another team. Not for platform admins. */
export async function ownTeam(db: DbOrTx, actor: Actor, named: string | undefined): Promise<TeamRow> {
  const own = await db.selectFrom('teams').selectAll().where('id', '=', actor.teamId!).executeTakeFirstOrThrow();
  assertOwnTeam(own.name, named);
  return own;
}
