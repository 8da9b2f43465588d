/**
 * The identity provider's groups of the person a console SSO sign-in issued a token for
 * (api/web/sso-routes.ts), so a console session acts with the same groups as that person's bearer
 * token would: approval rules may name groups. Null for every other token (API tokens have none).
 * Frozen in time: never import application code here.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('tokens').addColumn('groups', 'jsonb').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('tokens').dropColumn('groups').execute();
}
