/**
 * One row per attempt of an operation: the host and pid of the worker that ran it and its
 * heartbeat. A Pulumi stack lock names only the host and pid of the `pulumi` process that took it;
 * these rows let the platform say whether the owner of a lock taken on another host is alive
 * (stacks/engine/state-lock.ts, api/worker/state-lock-owner.ts).
 * Frozen in time: never import application code here.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('operation_attempts')
    .addColumn('operation_id', 'text', (c) => c.notNull().references('operations.id').onDelete('cascade'))
    .addColumn('attempt', 'integer', (c) => c.notNull())
    .addColumn('host', 'text', (c) => c.notNull())
    .addColumn('pid', 'integer', (c) => c.notNull())
    .addColumn('started_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('heartbeat_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('ended_at', 'timestamptz')
    .addPrimaryKeyConstraint('operation_attempts_pk', ['operation_id', 'attempt'])
    .execute();
  await db.schema.createIndex('operation_attempts_host').on('operation_attempts').columns(['host', 'operation_id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('operation_attempts').ifExists().execute();
}
