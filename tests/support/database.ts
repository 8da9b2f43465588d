/** A fresh, migrated database per test file, inside the run's embedded PostgreSQL. */
import crypto from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { connect, type OpenDatabase } from '../../api/db/database.ts';
import { migrateToLatest } from '../../api/db/migrate.ts';

/** Creates an empty database and returns its URL. */
export async function createEmptyDatabase(): Promise<string> {
  const adminUrl = inject('pgUrl');
  const name = `t_${crypto.randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.href;
}

/** A fresh database with every migration applied. */
export async function freshDatabase(): Promise<OpenDatabase> {
  const open = connect(await createEmptyDatabase());
  await migrateToLatest(open.db);
  return open;
}
