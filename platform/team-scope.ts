/**
 * The team-scope rule: a member's or team admin's token belongs to one team and may act only for
 * it; naming another team is refused, naming none means their own. Platform admins are not bound
 * by it (they name the team they act for).
 */
import { DomainError } from './errors.ts';

/** Throws FORBIDDEN when a token of team `ownTeam` names another team (`named`). */
export function assertOwnTeam(ownTeam: string, named: string | undefined): void {
  if (named !== undefined && named !== ownTeam) {
    throw new DomainError('FORBIDDEN', `your token belongs to team "${ownTeam}"; it cannot act for team "${named}"`, { hint: 'drop --team, or use a token of that team' });
  }
}
