/**
 * Quota enforcement: the team row is locked (FOR UPDATE) for the rest of the transaction, so two
 * concurrent creates or scale-ups of one team are serialised and can never both pass the check.
 * The rule itself (clusters, nodes, monthly budget) is platform/quota-policy.ts `checkQuota`; the
 * previews (`createPreview`, `plan`) ask the same rule.
 */
import { totalDesiredNodes, type ClusterSpec } from '../../platform/cluster-spec.ts';
import type { CostEstimate } from '../../platform/cost-estimate.ts';
import { DomainError, isDomainError } from '../../platform/errors.ts';
import { checkQuota, type QuotaCost, type QuotaRequest, type QuotaUsage, type TeamPolicy } from '../../platform/quota-policy.ts';
import type { ClusterRow, Db, DbOrTx, TeamRow, Tx } from '../db/schema.ts';
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

/** A quota request with the specs whose estimates the monthly budget weighs: the requested one always (so no scale-up path can skip the budget), the current one for an update. */
export type SpecQuotaRequest = QuotaRequest & { spec: ClusterSpec; currentSpec?: ClusterSpec };

/** A team's live usage (clusters not deleted, their desired nodes and, when it has a budget, their estimated monthly cost), and the request with its cost. */
async function usageAndRequest(db: DbOrTx, team: TeamRow, request: SpecQuotaRequest, excludeClusterId?: string): Promise<{ usage: QuotaUsage; request: QuotaRequest }> {
  let usage = db
    .selectFrom('clusters')
    .select((eb) => [eb.fn.countAll<string>().as('clusters'), eb.fn.coalesce(eb.fn.sum<string>('node_count'), eb.lit(0)).as('nodes')])
    .where('team_id', '=', team.id)
    .where('deleted_at', 'is', null);
  if (excludeClusterId) usage = usage.where('id', '!=', excludeClusterId);
  const row = await usage.executeTakeFirstOrThrow();
  const { spec, currentSpec, ...quotaRequest } = request;
  let monthlyCost: number | undefined;
  if (team.monthly_budget_usd !== null && team.monthly_budget_usd !== undefined) {
    monthlyCost = (await teamMonthlyCosts(db, [team.id], excludeClusterId)).get(team.id)!.monthly;
    quotaRequest.cost = quotaCost(estimateSpec(spec), currentSpec ? estimateSpec(currentSpec) : undefined);
  }
  return { usage: { clusters: Number(row.clusters), nodes: Number(row.nodes), ...(monthlyCost !== undefined ? { monthlyCost } : {}) }, request: { ...quotaRequest, team: team.name } };
}

/** Locks the team, reads its live usage and checks the request against its policy. */
export async function lockTeamAndCheckQuota(tx: Tx, teamId: string, request: SpecQuotaRequest, excludeClusterId?: string): Promise<void> {
  const team = await tx.selectFrom('teams').selectAll().where('id', '=', teamId).forUpdate().executeTakeFirstOrThrow();
  const checked = await usageAndRequest(tx, team, request, excludeClusterId);
  checkQuota(teamPolicy(team), checked.usage, checked.request);
}

/** A create's quota verdict now, without locking (a preview; the create itself checks again under the lock). */
export interface QuotaVerdict {
  ok: boolean;
  /** The refusal the create would meet (FORBIDDEN or QUOTA_EXCEEDED), with its hint. */
  refusal: { code: string; message: string; hint: string | null } | null;
  usage: QuotaUsage;
  limits: { maxClusters: number; maxTotalNodes: number; monthlyBudget: number | null };
}

export async function quotaVerdict(db: DbOrTx, team: TeamRow, request: SpecQuotaRequest): Promise<QuotaVerdict> {
  const { usage, request: checked } = await usageAndRequest(db, team, request);
  const limits = { maxClusters: team.max_clusters, maxTotalNodes: team.max_total_nodes, monthlyBudget: team.monthly_budget_usd ?? null };
  try {
    checkQuota(teamPolicy(team), usage, checked);
    return { ok: true, refusal: null, usage, limits };
  } catch (err) {
    if (!(err instanceof DomainError)) throw err;
    return { ok: false, refusal: { code: err.code, message: err.message, hint: err.hint ?? null }, usage, limits };
  }
}

/** Whether an update of `cluster` to `spec` would pass the quota now (for `plan`): the same check, nothing kept. */
export type UpdateQuotaVerdict = { allowed: true } | { allowed: false; message: string; hint: string | null };

/** Runs the update's quota check in a transaction that is rolled back, returning its verdict. */
export async function updateQuotaVerdict(db: Db, cluster: ClusterRow, spec: ClusterSpec): Promise<UpdateQuotaVerdict> {
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
