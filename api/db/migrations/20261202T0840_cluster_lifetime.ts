/**
 * Cluster lifetime (issue 13, item 4): when a cluster expires (null: never), which warning lead
 * times (ms before expiry) were already announced, its hibernation schedule and the node-pool
 * sizes to restore on wake (null while awake), and the state the schedule wanted at the last pass
 * (so a pass acts on the schedule's edges only). Frozen in time: never import application code here.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('clusters')
    .addColumn('expires_at', 'timestamptz')
    .addColumn('ttl_warnings_sent', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('hibernation', 'jsonb')
    .addColumn('hibernated_sizes', 'jsonb')
    .addColumn('hibernation_last_wanted', 'text')
    .execute();
  // the reaper's scan: live clusters with an expiry, soonest first
  await sql`create index clusters_expires_at on clusters (expires_at) where expires_at is not null and deleted_at is null`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists clusters_expires_at`.execute(db);
  await db.schema.alterTable('clusters').dropColumn('expires_at').dropColumn('ttl_warnings_sent').dropColumn('hibernation').dropColumn('hibernated_sizes').dropColumn('hibernation_last_wanted').execute();
}
