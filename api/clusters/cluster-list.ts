/**
 * The `clusters.list` query: one page of clusters, newest first, with their team and target
 * names joined in, for one team or every team. A keyset page: the partial indexes
 * `clusters_live_created` (every team) and `clusters_live_team_created` (one team) of migration
 * 20261202T0430_cluster_list_indexes hold the rows of live clusters in the page order, so a page,
 * first or deep, reads about `limit` index entries instead of scanning and sorting the table.
 */
import { sql } from 'kysely';
import type { ClusterStatus } from '../../platform/cluster-lifecycle.ts';
import type { DbOrTx } from '../db/schema.ts';

/** What narrows a page; the caller has already checked who may see which team. */
export interface ClusterListFilter {
  /** One team's clusters; undefined lists every team (platform admins only). */
  teamId?: string | undefined;
  includeDeleted: boolean;
  status?: ClusterStatus | undefined;
  /** A template name (`sim-dev`, any version) or a versioned one (`sim-dev@2`). */
  template?: string | undefined;
  target?: string | undefined;
  /** The page starts after this row (a decoded cursor). */
  after?: { at: Date; id: string } | undefined;
  limit: number;
}

/** The page query (it fetches `limit + 1` rows so the caller knows whether a next page exists). */
export function clusterListQuery(db: DbOrTx, filter: ClusterListFilter) {
  let query = db
    .selectFrom('clusters')
    .innerJoin('teams', 'teams.id', 'clusters.team_id')
    .innerJoin('targets', 'targets.id', 'clusters.target_id')
    .selectAll('clusters')
    .select(['teams.name as team_name', 'targets.name as target_name', 'targets.cloud as target_cloud']);
  if (filter.teamId !== undefined) query = query.where('clusters.team_id', '=', filter.teamId);
  if (!filter.includeDeleted) query = query.where('clusters.deleted_at', 'is', null);
  if (filter.status) query = query.where('clusters.status', '=', filter.status);
  const template = filter.template;
  if (template) query = query.where((eb) => eb.or([eb('clusters.template', '=', template), eb('clusters.template', 'like', `${template}@%`)]));
  if (filter.target) query = query.where('targets.name', '=', filter.target);
  if (filter.after) query = query.where(sql<boolean>`(clusters.created_at, clusters.id) < (${filter.after.at}, ${filter.after.id})`);
  return query.orderBy('clusters.created_at', 'desc').orderBy('clusters.id', 'desc').limit(filter.limit + 1);
}
