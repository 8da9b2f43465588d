/**
 * The estimated monthly cost of teams' live clusters, for the budget check and `kaas teams get`.
 * A cluster with an update in flight counts at the larger of its current spec and the spec the
 * update is applying (the row's spec changes only when the update ends), so two scale-ups of
 * one team's clusters cannot each pass the budget by not seeing the other.
 */
import type { ClusterSpec } from '../../platform/cluster-spec.ts';
import type { DbOrTx } from '../db/schema.ts';
import { estimateSpec } from '../pricing/price-book.ts';

/** Estimated cost of live clusters per team id: the priced total, and how many clusters were not fully priced. */
export interface TeamCost {
  monthly: number;
  incompleteClusters: number;
}

/** The estimated monthly cost of each team's live clusters, leaving out `excludeClusterId`. */
export async function teamMonthlyCosts(db: DbOrTx, teamIds: readonly string[], excludeClusterId?: string): Promise<Map<string, TeamCost>> {
  const out = new Map<string, TeamCost>(teamIds.map((id) => [id, { monthly: 0, incompleteClusters: 0 }]));
  if (teamIds.length === 0) return out;
  let query = db
    .selectFrom('clusters as c')
    .leftJoin('operations as o', (j) => j.onRef('o.cluster_id', '=', 'c.id').on('o.status', 'in', ['queued', 'running']).on('o.kind', '=', 'update'))
    .select(['c.id', 'c.team_id', 'c.spec', 'o.input'])
    .where('c.team_id', 'in', teamIds)
    .where('c.deleted_at', 'is', null);
  if (excludeClusterId) query = query.where('c.id', '!=', excludeClusterId);
  for (const row of await query.execute()) {
    const current = estimateSpec(row.spec as ClusterSpec);
    const pending = (row.input as { spec?: ClusterSpec } | null)?.spec;
    const next = pending ? estimateSpec(pending) : undefined;
    const counted = next && next.monthly > current.monthly ? next : current;
    const team = out.get(row.team_id)!;
    team.monthly = Math.round((team.monthly + counted.monthly) * 100) / 100;
    if (!counted.complete) team.incompleteClusters += 1;
  }
  return out;
}
