/**
 * Webhook subscriptions and their deliveries (issue 13, "events out"), and the dispatcher's
 * cursor over `platform_events.seq`. A subscription is platform-wide (team_id null) or one team's;
 * its secret signs every delivery (HMAC needs it, so it is kept, and never returned after creation).
 * One delivery per (subscription, event). Frozen in time: never import application code here.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('webhook_subscriptions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('event_types', 'jsonb', (c) => c.notNull())
    .addColumn('team_id', 'text', (c) => c.references('teams.id').onDelete('cascade'))
    .addColumn('secret', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('webhook_subscriptions_team').on('webhook_subscriptions').column('team_id').execute();
  await db.schema
    .createTable('webhook_deliveries')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('subscription_id', 'text', (c) => c.notNull().references('webhook_subscriptions.id').onDelete('cascade'))
    .addColumn('event_id', 'text', (c) => c.notNull().references('platform_events.id').onDelete('cascade'))
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('pending', 'retrying', 'succeeded', 'failed')`))
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_error', 'text')
    .addColumn('response_code', 'integer')
    .addColumn('next_attempt_at', 'timestamptz')
    .addColumn('delivered_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('webhook_deliveries_subscription_event', ['subscription_id', 'event_id'])
    .execute();
  await db.schema.createIndex('webhook_deliveries_subscription_created').on('webhook_deliveries').columns(['subscription_id', 'created_at']).execute();
  await db.schema
    .createTable('webhook_dispatch')
    .addColumn('id', 'text', (c) => c.primaryKey().check(sql`id = 'dispatch'`))
    .addColumn('last_seq', 'bigint', (c) => c.notNull())
    .execute();
  // events already recorded before webhooks existed are not sent: the cursor starts at the newest
  await sql`insert into webhook_dispatch (id, last_seq) select 'dispatch', coalesce(max(seq), 0) from platform_events`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('webhook_dispatch').execute();
  await db.schema.dropTable('webhook_deliveries').execute();
  await db.schema.dropTable('webhook_subscriptions').execute();
}
