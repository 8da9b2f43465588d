/**
 * The `clusters.list` query: one page of clusters, newest first, with their team and target
 * names joined in, for one team or every team. A keyset page: the partial indexes
 * `clusters_live_created` (every team) and `clusters_live_team_created` (one team) of migration
 * 20261202T0430_cluster_list_indexes hold the rows of live clusters in the page order, so a page,
 * first or deep, reads about `limit` index entries instead of scanning and sorting the table.
 * Each row carries its cluster's last operation (kind, status, times) from a lateral join that
 * reads one entry of `operations_cluster_created` per row of the page (not per cluster of the
 * fleet). `search` is a name prefix served by the `*_name_prefix` indexes of migration
 * 20261202T0920_cluster_name_search.
 */
import { sql, type ExpressionBuilder } from 'kysely';
import type { ClusterStatus } from '../../platform/cluster-lifecycle.ts';
import type { Database, DbOrTx } from '../db/schema.ts';

/** What narrows a page; the caller has already checked who may see which team. */
export interface ClusterListFilter {
  /** One team's clusters; undefined lists every team (platform admins only). */
  teamId?: string | undefined;
  includeDeleted: boolean;
  status?: ClusterStatus | undefined;
  /** A template name (`sim-dev`, any version) or a versioned one (`sim-dev@2`). */
  template?: string | undefined;
  target?: string | undefined;
  /** A name prefix, already lowercased and limited to name characters (no LIKE wildcards). */
  search?: string | undefined;
  /** The page starts after this row (a decoded cursor). */
  after?: { at: Date; id: string } | undefined;
  limit: number;
}

/** The lateral subquery of a cluster's newest operation (one entry of `operations_cluster_created`), joined as `last_op`. */
export const lastOperationOfCluster = (eb: ExpressionBuilder<Database, 'clusters'>) =>
  eb.selectFrom('operations').select(['operations.kind', 'operations.status', 'operations.created_at', 'operations.finished_at']).whereRef('operations.cluster_id', '=', 'clusters.id').orderBy('operations.created_at', 'desc').limit(1).as('last_op');

/** The columns `lastOperationOf` reads, selected from the `last_op` join. */
export const LAST_OPERATION_COLUMNS = ['last_op.kind as last_op_kind', 'last_op.status as last_op_status', 'last_op.created_at as last_op_created_at', 'last_op.finished_at as last_op_finished_at'] as const;

/** The page query (it fetches `limit + 1` rows so the caller knows whether a next page exists). */
export function clusterListQuery(db: DbOrTx, filter: ClusterListFilter) {
  let query = db
    .selectFrom('clusters')
    .innerJoin('teams', 'teams.id', 'clusters.team_id')
    .innerJoin('targets', 'targets.id', 'clusters.target_id')
    .selectAll('clusters')
    .leftJoinLateral(lastOperationOfCluster, (join) => join.onTrue())
    .select(['teams.name as team_name', 'targets.name as target_name', 'targets.cloud as target_cloud'])
    .select(LAST_OPERATION_COLUMNS);
  if (filter.teamId !== undefined) query = query.where('clusters.team_id', '=', filter.teamId);
  if (!filter.includeDeleted) query = query.where('clusters.deleted_at', 'is', null);
  if (filter.status) query = query.where('clusters.status', '=', filter.status);
  const template = filter.template;
  if (template) query = query.where((eb) => eb.or([eb('clusters.template', '=', template), eb('clusters.template', 'like', `${template}@%`)]));
  if (filter.search) query = query.where('clusters.name', 'like', `${filter.search}%`);
  if (filter.target) query = query.where('targets.name', '=', filter.target);
  if (filter.after) query = query.where(sql<boolean>`(clusters.created_at, clusters.id) < (${filter.after.at}, ${filter.after.id})`);
  return query.orderBy('clusters.created_at', 'desc').orderBy('clusters.id', 'desc').limit(filter.limit + 1);
}

/** A cluster's most recent operation as `clusters.list` shows it; `at` is when it finished, else when it was requested. */
export interface LastOperation {
  kind: string;
  status: string;
  at: string;
}

/** The last operation of a list row (null for a cluster without operations, e.g. inserted by hand). */
export function lastOperationOf(row: { last_op_kind: string | null; last_op_status: string | null; last_op_created_at: Date | null; last_op_finished_at: Date | null }): LastOperation | null {
  if (row.last_op_kind === null || row.last_op_status === null || row.last_op_created_at === null) return null;
  return { kind: row.last_op_kind, status: row.last_op_status, at: (row.last_op_finished_at ?? row.last_op_created_at).toISOString() };
}
