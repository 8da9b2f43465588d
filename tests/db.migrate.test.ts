/** Migrations against a real, empty PostgreSQL database. */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, type OpenDatabase } from '../api/db/database.ts';
import { migrateToLatest, MigrationFailedError } from '../api/db/migrate.ts';
import { migrations } from '../api/db/migrations/index.ts';
import { createEmptyDatabase } from './support/database.ts';

describe('database migrations', () => {
  let open: OpenDatabase;
  beforeAll(async () => {
    open = connect(await createEmptyDatabase());
  });
  afterAll(() => open.close());

  it('migrate a fresh database to the latest schema, once', async () => {
    expect(await migrateToLatest(open.db)).toEqual(Object.keys(migrations));
    const tables = await sql<{ table_name: string }>`select table_name from information_schema.tables where table_schema = 'public' order by table_name`.execute(open.db);
    expect(tables.rows.map((r) => r.table_name)).toEqual(
      expect.arrayContaining(['audit', 'clusters', 'operation_events', 'operations', 'targets', 'teams', 'templates', 'tokens']),
    );
    expect(await migrateToLatest(open.db)).toEqual([]);
  });

  it('enforce one active operation per cluster in the database', async () => {
    await open.db.insertInto('teams').values({ id: 't1', name: 'team-one' }).execute();
    await open.db.insertInto('targets').values({ id: 'g1', name: 'sim-local', cloud: 'sim', region: 'local', account: 'local', dns_zones: [] }).execute();
    await open.db
      .insertInto('clusters')
      .values({ id: 'c1', team_id: 't1', name: 'one', target_id: 'g1', spec: JSON.stringify({}), kubernetes_version: '1.32', node_count: 1, status: 'requested', stack_name: 'c-c1' })
      .execute();
    const op = (id: string, status: 'queued' | 'running' | 'succeeded') => ({ id, cluster_id: 'c1', kind: 'create', status, actor: 'test', request_id: 'r' });
    await open.db.insertInto('operations').values(op('o1', 'succeeded')).execute();
    await open.db.insertInto('operations').values(op('o2', 'queued')).execute();
    await expect(open.db.insertInto('operations').values(op('o3', 'running')).execute()).rejects.toThrow(/operations_one_active/);
  });

  it('stop with the failing migration named, leaving the database at the last good one', async () => {
    const broken = {
      ...migrations,
      '20990101T0000_broken': { up: async (db: any) => void (await sql`alter table no_such_table add column x int`.execute(db)) },
    };
    const err = await migrateToLatest(open.db, broken).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MigrationFailedError);
    expect((err as Error).message).toMatch(/migration 20990101T0000_broken failed: .*no_such_table/);
    const applied = await sql<{ name: string }>`select name from kaas_migrations order by name`.execute(open.db);
    expect(applied.rows.map((r) => r.name)).toEqual(Object.keys(migrations));
  });
});
