/** A target's allow-list of teams: names of existing teams, deduplicated and sorted. */
import { DomainError } from '../../platform/errors.ts';
import type { DbOrTx } from '../db/schema.ts';

/** Returns the sorted unique names, or throws VALIDATION naming each team that does not exist. */
export async function existingTeamNames(db: DbOrTx, names: readonly string[]): Promise<string[]> {
  const unique = [...new Set(names)].sort();
  if (unique.length === 0) return unique;
  const known = new Set((await db.selectFrom('teams').select('name').where('name', 'in', unique).execute()).map((r) => r.name));
  const issues = names.flatMap((n, i) => (known.has(n) ? [] : [{ path: `allowedTeams.${i}`, message: `team "${n}" does not exist` }]));
  if (issues.length > 0) {
    throw new DomainError('VALIDATION', `invalid input: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, { issues, hint: 'create the team first with `kaas teams create`, or check the name with `kaas teams list`' });
  }
  return unique;
}
