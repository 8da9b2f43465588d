/** Opens the platform database: DATABASE_URL when set, else the embedded PostgreSQL. */
import path from 'node:path';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { guardPool } from './connection-errors.ts';
import { startEmbeddedPostgres, type RunningPostgres } from './embedded-postgres.ts';
import type { Database } from './schema.ts';

// bigint (int8) columns, such as audit ids and counts, as strings; timestamps stay Dates.
pg.types.setTypeParser(20, (v: string) => v);

export interface OpenDatabase {
  db: Kysely<Database>;
  url: string;
  pool: pg.Pool;
  close(): Promise<void>;
}

/** A kysely instance over a pg pool for `url`. */
export function connect(url: string, max = 10): OpenDatabase {
  const pool = guardPool(new pg.Pool({ connectionString: url, max }));
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return { db, url, pool, close: () => db.destroy() };
}

/** Connects to `databaseUrl`, or starts the embedded server under `<home>/postgres` first. */
export async function openDatabase(opts: { databaseUrl: string | undefined; home: string; onLog?: (line: string) => void; onOrphan?: (pid: number, ownerPid: number) => void }): Promise<OpenDatabase & { embedded?: RunningPostgres }> {
  if (opts.databaseUrl) return connect(opts.databaseUrl);
  const embedded = await startEmbeddedPostgres(path.join(opts.home, 'postgres'), { ...(opts.onLog ? { onLog: opts.onLog } : {}), ...(opts.onOrphan ? { onOrphan: opts.onOrphan } : {}) });
  const open = connect(embedded.url);
  return {
    ...open,
    embedded,
    close: async () => {
      await open.close();
      await embedded.stop();
    },
  };
}
