/** Runs pending migrations at start-up; a failure stops start-up with the migration's name. */
import type { Kysely } from 'kysely';
import { Migrator, type Migration, type MigrationProvider } from 'kysely/migration';
import { migrations as allMigrations } from './migrations/index.ts';

export class MigrationFailedError extends Error {
  constructor(message: string, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = 'MigrationFailedError';
  }
}

/** Applies every pending migration in name order; returns the names applied. */
export async function migrateToLatest(db: Kysely<any>, migrations: Record<string, Migration> = allMigrations): Promise<string[]> {
  const provider: MigrationProvider = { getMigrations: async () => migrations };
  const migrator = new Migrator({ db, provider, migrationTableName: 'kaas_migrations', migrationLockTableName: 'kaas_migrations_lock' });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new MigrationFailedError(`database migration ${failed?.migrationName ?? '(before any migration)'} failed: ${reason}; the database was left at the last good migration`, error);
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
