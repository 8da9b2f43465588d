/**
 * A team's monthly budget (issue 13, cost guardrails): USD per month that the estimated cost of
 * its live clusters may not exceed on a create or scale-up; null means no budget. A float is
 * enough for a guardrail on an estimate (and reads back as a JS number, unlike numeric).
 * Frozen in time: never import application code here.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('teams').addColumn('monthly_budget_usd', 'double precision', (c) => c.check(sql`monthly_budget_usd >= 0`)).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('teams').dropColumn('monthly_budget_usd').execute();
}
