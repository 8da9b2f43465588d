/** Listing, adding and removing SSO group rules (platform admins, through api/routers/sso.ts). */
import { DomainError } from '../../platform/errors.ts';
import type { SsoRole } from '../../platform/sso-access.ts';
import type { DbOrTx } from '../db/schema.ts';
import { newId } from '../ids.ts';

/** A rule as the API returns it. */
export interface GroupRule {
  id: string;
  group: string;
  role: SsoRole;
  team: string | null;
  createdBy: string;
  createdAt: string;
}

export async function listGroupRules(db: DbOrTx): Promise<GroupRule[]> {
  const rows = await db
    .selectFrom('sso_group_rules')
    .leftJoin('teams', 'teams.id', 'sso_group_rules.team_id')
    .select(['sso_group_rules.id', 'group_name', 'role', 'teams.name as team', 'sso_group_rules.created_by', 'sso_group_rules.created_at'])
    .orderBy('group_name')
    .orderBy('sso_group_rules.created_at')
    .execute();
  return rows.map((r) => ({ id: r.id, group: r.group_name, role: r.role, team: r.team ?? null, createdBy: r.created_by, createdAt: r.created_at.toISOString() }));
}

export async function addGroupRule(db: DbOrTx, input: { group: string; role: SsoRole; team?: string | undefined }, createdBy: string): Promise<GroupRule> {
  if (input.role === 'platform-admin' && input.team) throw new DomainError('VALIDATION', 'a platform-admin rule names no team: platform admins act for every team', { hint: 'drop --team, or use --role team-admin or member' });
  if (input.role !== 'platform-admin' && !input.team) throw new DomainError('VALIDATION', `a ${input.role} rule needs the team its group's members belong to`, { hint: 'add --team TEAM' });
  let teamId: string | null = null;
  if (input.team) {
    const team = await db.selectFrom('teams').select('id').where('name', '=', input.team).executeTakeFirst();
    if (!team) throw new DomainError('NOT_FOUND', `team "${input.team}" does not exist`, { hint: 'see `kaas teams list`' });
    teamId = team.id;
  }
  const id = newId('r');
  const inserted = await db
    .insertInto('sso_group_rules')
    .values({ id, group_name: input.group, role: input.role, team_id: teamId, created_by: createdBy })
    .onConflict((oc) => oc.doNothing())
    .returning(['created_at'])
    .executeTakeFirst();
  if (!inserted) throw new DomainError('CONFLICT', `a rule already maps group "${input.group}" to ${input.role}${input.team ? ` of team ${input.team}` : ''}`, { hint: 'see `kaas sso-rules list`' });
  return { id, group: input.group, role: input.role, team: input.team ?? null, createdBy, createdAt: inserted.created_at.toISOString() };
}

export async function removeGroupRule(db: DbOrTx, id: string): Promise<GroupRule> {
  const rule = (await listGroupRules(db)).find((r) => r.id === id);
  if (!rule) throw new DomainError('NOT_FOUND', `SSO group rule ${id} does not exist`, { hint: 'see `kaas sso-rules list` for the rule ids' });
  await db.deleteFrom('sso_group_rules').where('id', '=', id).execute();
  return rule;
}
