/**
 * The fleet's shared-state fingerprint (api/state-fingerprint.ts): one row, recorded by the first
 * worker, that every later worker must match at start — state backend, secrets provider, a
 * passphrase check value (a KDF output, never the passphrase) and the sim cloud directory.
 * Frozen in time: never import application code here.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('fleet_state')
    .addColumn('id', 'text', (c) => c.primaryKey().check(sql`id = 'fleet'`))
    .addColumn('fleet_id', 'text', (c) => c.notNull())
    .addColumn('backend', 'text', (c) => c.notNull())
    .addColumn('secrets_provider', 'text', (c) => c.notNull())
    .addColumn('secrets_check', 'text')
    .addColumn('sim_cloud_dir', 'text', (c) => c.notNull())
    .addColumn('recorded_by', 'text', (c) => c.notNull())
    .addColumn('recorded_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('fleet_state').execute();
}
