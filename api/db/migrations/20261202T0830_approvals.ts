/**
 * Approvals (issue 13): one row per request that a sensitive action (a protected cluster's
 * delete, a destructive reconcile, a forced upgrade, a fleet wave) waits on, with the hash of the
 * plan it approves, who approved it and when, and when it expires. A target may carry its own
 * approval policy (null: the platform's default). Frozen in time: never import application code.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('targets').addColumn('approval_policy', 'jsonb').execute();
  await db.schema
    .createTable('approval_requests')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('action', 'text', (c) => c.notNull().check(sql`action in ('delete', 'reconcile', 'forced-upgrade', 'fleet-wave')`))
    .addColumn('cluster_id', 'text', (c) => c.references('clusters.id').onDelete('cascade'))
    .addColumn('campaign_id', 'text', (c) => c.references('campaigns.id').onDelete('cascade'))
    .addColumn('team_id', 'text', (c) => c.references('teams.id').onDelete('cascade'))
    .addColumn('requester', 'text', (c) => c.notNull())
    .addColumn('plan_hash', 'text', (c) => c.notNull())
    .addColumn('plan', 'jsonb', (c) => c.notNull())
    .addColumn('operation_id', 'text', (c) => c.references('operations.id').onDelete('set null'))
    .addColumn('rule', 'jsonb', (c) => c.notNull())
    .addColumn('approvals', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('pending').check(sql`status in ('pending', 'approved', 'rejected', 'expired', 'superseded')`))
    .addColumn('reason', 'text')
    .addColumn('decided_by', 'text')
    .addColumn('started_operation_id', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('decided_at', 'timestamptz')
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addCheckConstraint('approval_requests_about_one', sql`(cluster_id is null) <> (campaign_id is null)`)
    .execute();
  // one open request per thing and action: a new one supersedes the old in the same transaction
  await sql`create unique index approval_requests_one_pending on approval_requests (action, coalesce(cluster_id, campaign_id)) where status = 'pending'`.execute(db);
  // the expiry sweep reads only pending requests by expiry
  await sql`create index approval_requests_pending_expiry on approval_requests (expires_at) where status = 'pending'`.execute(db);
  await db.schema.createIndex('approval_requests_team_status').on('approval_requests').columns(['team_id', 'status', 'created_at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('approval_requests').execute();
  await db.schema.alterTable('targets').dropColumn('approval_policy').execute();
}
