/**
 * `campaigns.target_release`: the patch release a patch campaign pins (`1.33.5`, GKE
 * `1.33.5-gke.1080000`), started from a `patch` channel's proposal; null for minor upgrades and
 * template rollouts. `target_version` stays the minor. Frozen in time: never import application code here.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('campaigns').addColumn('target_release', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('campaigns').dropColumn('target_release').execute();
}
