/**
 * Auto-upgrade channels (issue 12, item 5): which channel a team or a template follows, periods
 * in which channel upgrades must not start (maintenance exclusions), and the campaigns channels
 * propose when the version data gains a release (one per scope and release).
 * Frozen in time: never import application code here.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('upgrade_channels')
    .addColumn('scope', 'text', (c) => c.notNull().check(sql`scope in ('team', 'template')`))
    .addColumn('scope_name', 'text', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull().check(sql`channel in ('patch', 'stable', 'pinned')`))
    .addColumn('auto_start', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('start_delay_minutes', 'integer', (c) => c.notNull().defaultTo(0).check(sql`start_delay_minutes >= 0`))
    .addColumn('updated_by', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('upgrade_channels_pkey', ['scope', 'scope_name'])
    .execute();
  await db.schema
    .createTable('maintenance_exclusions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('scope', 'text', (c) => c.notNull().check(sql`scope in ('team', 'template')`))
    .addColumn('scope_name', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('no_upgrades', 'no_minor_upgrades')`))
    .addColumn('starts_at', 'timestamptz', (c) => c.notNull())
    .addColumn('ends_at', 'timestamptz', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('maintenance_exclusions_period', sql`ends_at > starts_at`)
    .execute();
  await db.schema.createIndex('maintenance_exclusions_scope').on('maintenance_exclusions').columns(['scope', 'scope_name', 'ends_at']).execute();
  await db.schema
    .createTable('campaign_proposals')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('scope', 'text', (c) => c.notNull().check(sql`scope in ('team', 'template')`))
    .addColumn('scope_name', 'text', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('target_version', 'text', (c) => c.notNull())
    .addColumn('target_release', 'text', (c) => c.notNull())
    .addColumn('minor_upgrade', 'boolean', (c) => c.notNull())
    .addColumn('cluster_ids', 'jsonb', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('proposed', 'started', 'dismissed')`))
    .addColumn('status_reason', 'text')
    .addColumn('scheduled_at', 'timestamptz', (c) => c.notNull())
    .addColumn('campaign_id', 'text', (c) => c.references('campaigns.id').onDelete('set null'))
    .addColumn('decided_by', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('campaign_proposals_release', ['scope', 'scope_name', 'target_release'])
    .execute();
  await db.schema.createIndex('campaign_proposals_open').on('campaign_proposals').columns(['status', 'scheduled_at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('campaign_proposals').execute();
  await db.schema.dropTable('maintenance_exclusions').execute();
  await db.schema.dropTable('upgrade_channels').execute();
}
