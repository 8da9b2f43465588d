/**
 * Indexes for the drift schedule's pass at 10,000 clusters: the ready, live clusters in creation
 * order (the pass walks them with a LIMIT instead of sorting every row), and each cluster's latest
 * refresh operation (its last drift check).
 * Frozen in time: never import application code here.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`create index clusters_ready_created on clusters (created_at) where status = 'ready' and deleted_at is null`.execute(db);
  await sql`create index operations_refresh_last on operations (cluster_id, created_at) where kind = 'refresh'`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists operations_refresh_last`.execute(db);
  await sql`drop index if exists clusters_ready_created`.execute(db);
}
