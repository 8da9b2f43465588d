/**
 * Indexes for `clusters.list` pages at fleet scale: live clusters newest first, for every team
 * (a platform admin's `-A`) and for one team. Without them the admin's first page of 10,000
 * clusters was a sequential scan and a sort; with them a page, first or deep (keyset cursor
 * `(created_at, id) < (…)`), reads about one page of index entries.
 * Frozen in time: never import application code here.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`create index clusters_live_created on clusters (created_at desc, id desc) where deleted_at is null`.execute(db);
  await sql`create index clusters_live_team_created on clusters (team_id, created_at desc, id desc) where deleted_at is null`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists clusters_live_team_created`.execute(db);
  await sql`drop index if exists clusters_live_created`.execute(db);
}
