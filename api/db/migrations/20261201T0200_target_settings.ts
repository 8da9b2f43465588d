/**
 * Per-target settings the cloud programs need (EKS platform admin role, AKS admin groups and
 * kubelogin mode, GKE credentials mode), as one JSON object per target; `{}` for existing rows.
 * Frozen in time: never import application code here.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('targets').addColumn('settings', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`)).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('targets').dropColumn('settings').execute();
}
