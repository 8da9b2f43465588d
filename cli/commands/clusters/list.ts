/** `kaas clusters list`: one page of clusters (newest first), or every page with `allPages`. */
import type { ClusterListItem } from '../../api-types.ts';
import type { Api } from '../../client.ts';
import type { ClusterStatus } from '../../../platform/cluster-lifecycle.ts';

export interface ListClustersOptions {
  team?: string | undefined;
  /** Every team (`-A`): platform admins only, refused by the API otherwise. */
  allTeams?: boolean;
  status?: ClusterStatus | undefined;
  template?: string | undefined;
  target?: string | undefined;
  /** A case-insensitive name prefix. */
  search?: string | undefined;
  includeDeleted?: boolean;
  allPages?: boolean;
  limit?: number;
}

export interface ClusterList {
  items: ClusterListItem[];
  nextCursor: string | null;
}

export async function listClusters(api: Api, opts: ListClustersOptions): Promise<ClusterList> {
  const filters = {
    ...(opts.team ? { team: opts.team } : {}),
    ...(opts.allTeams ? { allTeams: true } : {}),
    ...(opts.status ? { status: opts.status } : {}),
    ...(opts.template ? { template: opts.template } : {}),
    ...(opts.target ? { target: opts.target } : {}),
    ...(opts.search ? { search: opts.search } : {}),
    includeDeleted: opts.includeDeleted ?? false,
    limit: opts.limit ?? (opts.allPages ? 200 : 50),
  };
  const items: ClusterListItem[] = [];
  let cursor: string | null = null;
  do {
    const page: ClusterList = await api.trpc.clusters.list.query({ ...filters, ...(cursor ? { cursor } : {}) });
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (opts.allPages && cursor);
  return { items, nextCursor: cursor };
}
