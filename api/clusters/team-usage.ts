/**
 * Quota enforcement: the team row is locked (FOR UPDATE) for the rest of the transaction, so two
 * concurrent creates or scale-ups of one team are serialised and can never both pass the check.
 * The rule itself (clusters, nodes, monthly budget) is platform/quota-policy.ts `checkQuota`.
 */
import { totalDesiredNodes, type ClusterSpec } from '../../platform/cluster-spec.ts';
import { checkQuota, type QuotaCost, type QuotaRequest, type TeamPolicy } from '../../platform/quota-policy.ts';
import type { CostEstimate } from '../../platform/cost-estimate.ts';
import { isDomainError } from '../../platform/errors.ts';
import type { ClusterRow, Db, TeamRow, Tx } from '../db/schema.ts';
import { estimateSpec } from '../pricing/price-book.ts';
import { teamMonthlyCosts } from './team-cost.ts';

export function teamPolicy(team: TeamRow): TeamPolicy {
  return {
    maxClusters: team.max_clusters,
    maxTotalNodes: team.max_total_nodes,
    allowedTargets: team.allowed_targets ?? '*',
    allowedTemplates: team.allowed_templates ?? '*',
    monthlyBudget: team.monthly_budget_usd,
  };
}

/** The cost part of a quota request: the new spec's estimate and, for an update, the current one. */
export function quotaCost(after: CostEstimate, before?: CostEstimate): QuotaCost {
  return { monthly: after.monthly, unpriced: after.unpriced, ...(before ? { before: { monthly: before.monthly, unpriced: before.unpriced } } : {}) };
}

/**
 * Locks the team, reads its live usage and checks the request against its policy. `spec` (the
 * requested spec) and, for an update, `currentSpec` are estimated for the monthly budget.
 */
export async function lockTeamAndCheckQuota(tx: Tx, teamId: string, request: QuotaRequest & { spec?: ClusterSpec; currentSpec?: ClusterSpec }, excludeClusterId?: string): Promise<void> {
  const team = await tx.selectFrom('teams').selectAll().where('id', '=', teamId).forUpdate().executeTakeFirstOrThrow();
  let usage = tx
    .selectFrom('clusters')
    .select((eb) => [eb.fn.countAll<string>().as('clusters'), eb.fn.coalesce(eb.fn.sum<string>('node_count'), eb.lit(0)).as('nodes')])
    .where('team_id', '=', teamId)
    .where('deleted_at', 'is', null);
  if (excludeClusterId) usage = usage.where('id', '!=', excludeClusterId);
  const row = await usage.executeTakeFirstOrThrow();
  const { spec, currentSpec, ...quotaRequest } = request;
  const policy = teamPolicy(team);
  let monthlyCost: number | undefined;
  if (policy.monthlyBudget !== null && policy.monthlyBudget !== undefined && spec) {
    monthlyCost = (await teamMonthlyCosts(tx, [teamId], excludeClusterId)).get(teamId)!.monthly;
    quotaRequest.cost = quotaCost(estimateSpec(spec), currentSpec ? estimateSpec(currentSpec) : undefined);
  }
  checkQuota(policy, { clusters: Number(row.clusters), nodes: Number(row.nodes), ...(monthlyCost !== undefined ? { monthlyCost } : {}) }, { ...quotaRequest, team: team.name });
}

/** Whether an update of `cluster` to `spec` would pass the quota now (for `plan`): the same check, nothing kept. */
export type QuotaVerdict = { allowed: true } | { allowed: false; message: string; hint: string | null };

/** Runs the update's quota check in a transaction that is rolled back, returning its verdict. */
export async function quotaVerdict(db: Db, cluster: ClusterRow, spec: ClusterSpec): Promise<QuotaVerdict> {
  try {
    await db.transaction().execute(async (tx) => {
      const target = await tx.selectFrom('targets').select('name').where('id', '=', cluster.target_id).executeTakeFirstOrThrow();
      await lockTeamAndCheckQuota(tx, cluster.team_id, { nodes: totalDesiredNodes(spec), target: target.name, ...(cluster.template ? { template: cluster.template } : {}), newCluster: false, spec, currentSpec: cluster.spec as ClusterSpec }, cluster.id);
    });
    return { allowed: true };
  } catch (err) {
    if (isDomainError(err) && (err.code === 'QUOTA_EXCEEDED' || err.code === 'FORBIDDEN')) return { allowed: false, message: err.message, hint: err.hint ?? null };
    throw err;
  }
}
