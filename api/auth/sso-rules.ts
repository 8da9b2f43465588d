/** The SSO group rules (table `sso_group_rules`) as the access decision reads them. */
import type { SsoRule } from '../../platform/sso-access.ts';
import type { DbOrTx } from '../db/schema.ts';

export async function loadSsoRules(db: DbOrTx, groups: readonly string[]): Promise<SsoRule[]> {
  if (groups.length === 0) return [];
  const rows = await db.selectFrom('sso_group_rules').select(['group_name', 'role', 'team_id', 'created_at']).where('group_name', 'in', [...new Set(groups)].slice(0, 1000)).execute();
  return rows.map((r) => ({ group: r.group_name, role: r.role, teamId: r.team_id, createdAt: r.created_at }));
}
