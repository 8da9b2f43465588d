/**
 * A campaign cluster can be `blocked`: upgrade preflight found something in the way (a deprecated
 * API removed in the next minor, a PodDisruptionBudget that would stall a drain, no surge capacity),
 * so its upgrade stopped `needs_approval` before changing anything more, and the campaign went on
 * without it. Frozen in time: never import application code here.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table campaign_clusters drop constraint if exists campaign_clusters_status_check`.execute(db);
  await sql`alter table campaign_clusters add constraint campaign_clusters_status_check check (status in ('pending', 'waiting_window', 'upgrading', 'succeeded', 'failed', 'blocked', 'skipped', 'deleted'))`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`update campaign_clusters set status = 'failed' where status = 'blocked'`.execute(db);
  await sql`alter table campaign_clusters drop constraint if exists campaign_clusters_status_check`.execute(db);
  await sql`alter table campaign_clusters add constraint campaign_clusters_status_check check (status in ('pending', 'waiting_window', 'upgrading', 'succeeded', 'failed', 'skipped', 'deleted'))`.execute(db);
}
