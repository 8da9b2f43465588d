/** Every migration, by its timestamped name. Add new ones here; never edit an old one. */
import type { Migration } from 'kysely/migration';
import * as initial from './20261126T1700_initial.ts';

export const migrations: Record<string, Migration> = {
  '20261126T1700_initial': initial,
};
