/**
 * The platform's outgoing events (issue 13, "events out"): one row per thing that happened
 * (an operation's transition, a campaign's state change, a drift finding, an approval request,
 * a TTL warning), written in the same transaction as the change itself (an outbox), so an event
 * is never lost nor sent for a change that rolled back. Deliveries to webhook subscriptions read
 * from here. Frozen in time: never import application code here.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('platform_events')
    .addColumn('seq', 'bigserial', (c) => c.primaryKey())
    .addColumn('id', 'text', (c) => c.notNull().unique())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('team_id', 'text', (c) => c.references('teams.id').onDelete('set null'))
    .addColumn('data', 'jsonb', (c) => c.notNull())
    .addColumn('time', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('platform_events_type_seq').on('platform_events').columns(['type', 'seq']).execute();
  await db.schema.createIndex('platform_events_team_seq').on('platform_events').columns(['team_id', 'seq']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('platform_events').execute();
}
