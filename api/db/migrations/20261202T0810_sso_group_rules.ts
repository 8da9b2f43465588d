/**
 * Single sign-on (issue 13, item 1): `sso_group_rules` maps a group of the identity provider's
 * groups claim to a role and (for team roles) a team. Platform admins manage the rules; a signed-in
 * person's access is computed from their token's groups and these rules on every request.
 * Frozen in time: never import application code here.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('sso_group_rules')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('group_name', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('platform-admin', 'team-admin', 'member')`))
    .addColumn('team_id', 'text', (c) => c.references('teams.id').onDelete('cascade'))
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    // a platform-admin rule names no team; a team rule names one
    .addCheckConstraint('sso_group_rules_team', sql`(role = 'platform-admin') = (team_id is null)`)
    .execute();
  await sql`create unique index sso_group_rules_unique on sso_group_rules (group_name, role, coalesce(team_id, ''))`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('sso_group_rules').execute();
}
