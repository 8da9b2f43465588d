/** Reading clusters and operations, always scoped to a team. */
import { DomainError } from '../../platform/errors.ts';
import type { ClusterRow, DbOrTx, OperationRow, TeamRow } from '../db/schema.ts';
import { clusterRowToCluster, operationRowToOperation, type Cluster, type Operation } from './cluster-view.ts';

/** The live cluster `name` of `team` (or a deleted one when `includeDeleted`), else NOT_FOUND. */
export async function findCluster(db: DbOrTx, team: TeamRow, name: string, opts: { includeDeleted?: boolean; forUpdate?: boolean } = {}): Promise<ClusterRow> {
  let query = db.selectFrom('clusters').selectAll().where('team_id', '=', team.id).where('name', '=', name);
  if (!opts.includeDeleted) query = query.where('deleted_at', 'is', null);
  query = query.orderBy('created_at', 'desc').limit(1);
  const row = await (opts.forUpdate ? query.forUpdate() : query).executeTakeFirst();
  if (!row) throw new DomainError('NOT_FOUND', `cluster "${name}" does not exist in team "${team.name}"`, { hint: 'list clusters with `kaas clusters list`' });
  return row;
}

/** API views of cluster rows, with team and target names resolved. */
export async function toClusters(db: DbOrTx, rows: ClusterRow[]): Promise<Cluster[]> {
  if (rows.length === 0) return [];
  const teams = await db.selectFrom('teams').select(['id', 'name']).where('id', 'in', [...new Set(rows.map((r) => r.team_id))]).execute();
  const targets = await db.selectFrom('targets').select(['id', 'name', 'cloud']).where('id', 'in', [...new Set(rows.map((r) => r.target_id))]).execute();
  const teamName = new Map(teams.map((t) => [t.id, t.name]));
  const target = new Map(targets.map((t) => [t.id, t]));
  return rows.map((row) => clusterRowToCluster(row, { team: teamName.get(row.team_id) ?? '?', target: target.get(row.target_id)?.name ?? '?', cloud: target.get(row.target_id)?.cloud ?? '?' }));
}

export async function toCluster(db: DbOrTx, row: ClusterRow): Promise<Cluster> {
  return (await toClusters(db, [row]))[0]!;
}

/** The operation `id` of a cluster, else NOT_FOUND. */
export async function findOperation(db: DbOrTx, cluster: ClusterRow, id: string): Promise<OperationRow> {
  const row = await db.selectFrom('operations').selectAll().where('id', '=', id).where('cluster_id', '=', cluster.id).executeTakeFirst();
  if (!row) throw new DomainError('NOT_FOUND', `operation ${id} does not exist for cluster "${cluster.name}"`, { hint: `list its operations with \`kaas clusters operations ${cluster.name}\`` });
  return row;
}

/** The most recent operations of a cluster, newest first. */
export async function recentOperations(db: DbOrTx, clusterId: string, limit = 20): Promise<Operation[]> {
  const rows = await db.selectFrom('operations').selectAll().where('cluster_id', '=', clusterId).orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
  return rows.map(operationRowToOperation);
}
