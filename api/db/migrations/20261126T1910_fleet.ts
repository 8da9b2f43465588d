/**
 * Fleet campaigns: `campaigns` (one row per upgrade or template-rollout campaign, with its frozen
 * strategy and the runner's progress) and `campaign_clusters` (the cluster set frozen at start,
 * each with its wave, status and operation). Clusters get an optional weekly maintenance window.
 * Frozen in time: never import application code here.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('clusters').addColumn('maintenance_window', 'jsonb').execute();

  await db.schema
    .createTable('campaigns')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('upgrade', 'template-rollout')`))
    .addColumn('selector', 'jsonb', (c) => c.notNull())
    .addColumn('target_version', 'text')
    .addColumn('template', 'text')
    .addColumn('template_version', 'integer')
    .addColumn('strategy', 'jsonb', (c) => c.notNull())
    .addColumn('max_parallel', 'integer', (c) => c.notNull())
    .addColumn('failure_threshold', 'integer', (c) => c.notNull())
    .addColumn('approval_required', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('soak_seconds', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('status', 'text', (c) =>
      c.notNull().check(sql`status in ('running', 'paused', 'awaiting_approval', 'halted', 'cancelled', 'completed')`),
    )
    .addColumn('status_reason', 'text')
    .addColumn('current_wave', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('wave_names', 'jsonb', (c) => c.notNull())
    .addColumn('approved_wave', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('wave_done_at', 'timestamptz')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('finished_at', 'timestamptz')
    .execute();
  await db.schema.createIndex('campaigns_status').on('campaigns').column('status').execute();

  await db.schema
    .createTable('campaign_clusters')
    .addColumn('campaign_id', 'text', (c) => c.notNull().references('campaigns.id'))
    .addColumn('cluster_id', 'text', (c) => c.notNull().references('clusters.id'))
    .addColumn('wave', 'integer')
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) =>
      c.notNull().check(sql`status in ('pending', 'waiting_window', 'upgrading', 'succeeded', 'failed', 'skipped', 'deleted')`),
    )
    .addColumn('operation_id', 'text')
    .addColumn('reason', 'text')
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('started_at', 'timestamptz')
    .addColumn('finished_at', 'timestamptz')
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('campaign_clusters_pk', ['campaign_id', 'cluster_id'])
    .execute();
  await db.schema.createIndex('campaign_clusters_status').on('campaign_clusters').columns(['campaign_id', 'status']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('campaign_clusters').ifExists().execute();
  await db.schema.dropTable('campaigns').ifExists().execute();
  await db.schema.alterTable('clusters').dropColumn('maintenance_window').execute();
}
