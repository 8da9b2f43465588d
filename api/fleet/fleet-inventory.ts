/** The live clusters of the fleet as the planner sees them, read in one query. */
import type { Cloud } from '../../platform/cluster-spec.ts';
import type { FleetCandidate } from '../../platform/fleet-campaign.ts';
import type { MaintenanceWindow } from '../../platform/maintenance-window.ts';
import type { DbOrTx } from '../db/schema.ts';

/** Every live (not deleted) cluster, with team and target names resolved. */
export async function loadFleet(db: DbOrTx): Promise<FleetCandidate[]> {
  const rows = await db
    .selectFrom('clusters')
    .innerJoin('teams', 'teams.id', 'clusters.team_id')
    .innerJoin('targets', 'targets.id', 'clusters.target_id')
    .select([
      'clusters.id',
      'clusters.name',
      'teams.name as team',
      'targets.cloud',
      'targets.name as target',
      'clusters.template',
      'clusters.labels',
      'clusters.kubernetes_version',
      'clusters.maintenance_window',
      'clusters.status',
      'clusters.failed_operation',
    ])
    .where('clusters.deleted_at', 'is', null)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    team: r.team,
    cloud: r.cloud as Cloud,
    target: r.target,
    ...(r.template ? { template: r.template } : {}),
    labels: r.labels,
    version: r.kubernetes_version,
    ...(r.maintenance_window ? { maintenanceWindow: r.maintenance_window as MaintenanceWindow } : {}),
    status: r.status,
    failedOperation: r.failed_operation ?? undefined,
  }));
}
