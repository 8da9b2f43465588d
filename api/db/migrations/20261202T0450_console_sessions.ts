/**
 * The web console: `sessions` (one row per signed-in browser; only SHA-256 hashes of the cookie's
 * session id and of its CSRF value are stored, and the row references the token that signed in,
 * so revoking or expiring that token ends the session) and change notifications for live streams:
 * triggers send `pg_notify('kaas_changes', json)` when operation events are appended, when an
 * operation, cluster or campaign changes, and when a token or session ends. NOTIFY is delivered
 * on commit to every listening API process, so several replicas see the same changes
 * (https://www.postgresql.org/docs/17/sql-notify.html: identical notifications in one
 * transaction are folded into one). Frozen in time: never import application code here.
 */
import { sql, type Kysely } from 'kysely';

const OPERATION = `json_build_object('t', 'op', 'id', new.id, 'cluster', new.cluster_id, 'team', (select team_id from clusters where id = new.cluster_id))`;

/** Each trigger: its name, table, events and the json payload it sends (`new`/`old` in scope). */
const TRIGGERS: { name: string; table: string; events: string; when?: string; payload: string; row?: 'new' | 'old' }[] = [
  { name: 'operation_events', table: 'operation_events', events: 'insert', payload: `json_build_object('t', 'op', 'id', new.operation_id)` },
  { name: 'operations_insert', table: 'operations', events: 'insert', payload: OPERATION },
  // not on the event counter's increments: operation_events notifies those
  { name: 'operations_update', table: 'operations', events: 'update', when: '(old.status is distinct from new.status or old.step is distinct from new.step or old.step_index is distinct from new.step_index)', payload: OPERATION },
  { name: 'clusters', table: 'clusters', events: 'insert or update', payload: `json_build_object('t', 'cluster', 'id', new.id, 'team', new.team_id)` },
  { name: 'campaigns', table: 'campaigns', events: 'insert or update', payload: `json_build_object('t', 'campaign', 'id', new.id)` },
  { name: 'campaign_clusters', table: 'campaign_clusters', events: 'insert or update', payload: `json_build_object('t', 'campaign', 'id', new.campaign_id)` },
  { name: 'tokens', table: 'tokens', events: 'update', payload: `json_build_object('t', 'token', 'id', new.id)` },
  { name: 'tokens_delete', table: 'tokens', events: 'delete', payload: `json_build_object('t', 'token', 'id', old.id)`, row: 'old' },
  { name: 'sessions_delete', table: 'sessions', events: 'delete', payload: `json_build_object('t', 'session', 'id', old.id)`, row: 'old' },
];

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('sessions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('secret_hash', 'text', (c) => c.notNull().unique())
    .addColumn('csrf_hash', 'text', (c) => c.notNull())
    .addColumn('token_id', 'text', (c) => c.notNull().references('tokens.id').onDelete('cascade'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('last_seen_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('sessions_token').on('sessions').column('token_id').execute();

  for (const t of TRIGGERS) {
    await sql
      .raw(
        `create function kaas_notify_${t.name}() returns trigger language plpgsql as $$
begin
  perform pg_notify('kaas_changes', (${t.payload})::text);
  return ${t.row ?? 'new'};
end $$`,
      )
      .execute(db);
    await sql.raw(`create trigger kaas_notify_${t.name} after ${t.events} on ${t.table} for each row ${t.when ? `when ${t.when} ` : ''}execute function kaas_notify_${t.name}()`).execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of TRIGGERS) {
    await sql.raw(`drop trigger if exists kaas_notify_${t.name} on ${t.table}`).execute(db);
    await sql.raw(`drop function if exists kaas_notify_${t.name}()`).execute(db);
  }
  await db.schema.dropTable('sessions').execute();
}
