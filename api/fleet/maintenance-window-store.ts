/** Per-cluster maintenance windows, stored on the cluster row (`clusters.maintenance_window`). */
import { findCluster } from '../clusters/cluster-queries.ts';
import { DomainError } from '../../platform/errors.ts';
import { parseMaintenanceWindow, type MaintenanceWindow } from '../../platform/maintenance-window.ts';
import type { Db } from '../db/schema.ts';

/** Sets (or with null clears) the window of cluster `name` of team `team`; returns the stored window. */
export async function setMaintenanceWindow(db: Db, team: string, name: string, window: unknown): Promise<MaintenanceWindow | null> {
  const parsed = window === null ? null : parseMaintenanceWindow(window, 'window');
  const teamRow = await db.selectFrom('teams').selectAll().where('name', '=', team).executeTakeFirst();
  if (!teamRow) throw new DomainError('NOT_FOUND', `team "${team}" does not exist`);
  const cluster = await findCluster(db, teamRow, name);
  await db.updateTable('clusters').set({ maintenance_window: parsed === null ? null : JSON.stringify(parsed), updated_at: new Date() }).where('id', '=', cluster.id).execute();
  return parsed;
}
