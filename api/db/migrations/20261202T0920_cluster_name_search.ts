/**
 * Indexes for `clusters.list --search`: a case-insensitive name prefix search over live clusters,
 * for every team (a platform admin) and for one team. Cluster names are lowercase DNS labels, so
 * `name like 'pre%'` with the search lowercased is the case-insensitive match; `text_pattern_ops`
 * lets a btree serve `like 'pre%'` whatever the database's collation (the default-collation
 * `clusters_live_name` index cannot). pg_trgm (substring search) ships with the embedded
 * PostgreSQL but is an extension a managed database may not allow, so the search is a prefix.
 * Frozen in time: never import application code here.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`create index clusters_live_name_prefix on clusters (name text_pattern_ops) where deleted_at is null`.execute(db);
  await sql`create index clusters_live_team_name_prefix on clusters (team_id, name text_pattern_ops) where deleted_at is null`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists clusters_live_team_name_prefix`.execute(db);
  await sql`drop index if exists clusters_live_name_prefix`.execute(db);
}
