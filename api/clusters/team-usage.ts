/**
 * Quota enforcement: the team row is locked (FOR UPDATE) for the rest of the transaction, so two
 * concurrent creates or scale-ups of one team are serialised and can never both pass the check.
 */
import { checkQuota, type QuotaRequest, type TeamPolicy } from '../../platform/quota-policy.ts';
import type { TeamRow, Tx } from '../db/schema.ts';

export function teamPolicy(team: TeamRow): TeamPolicy {
  return {
    maxClusters: team.max_clusters,
    maxTotalNodes: team.max_total_nodes,
    allowedTargets: team.allowed_targets ?? '*',
    allowedTemplates: team.allowed_templates ?? '*',
  };
}

/** Locks the team, reads its live usage and checks the request against its policy. */
export async function lockTeamAndCheckQuota(tx: Tx, teamId: string, request: QuotaRequest, excludeClusterId?: string): Promise<void> {
  const team = await tx.selectFrom('teams').selectAll().where('id', '=', teamId).forUpdate().executeTakeFirstOrThrow();
  let usage = tx
    .selectFrom('clusters')
    .select((eb) => [eb.fn.countAll<string>().as('clusters'), eb.fn.coalesce(eb.fn.sum<string>('node_count'), eb.lit(0)).as('nodes')])
    .where('team_id', '=', teamId)
    .where('deleted_at', 'is', null);
  if (excludeClusterId) usage = usage.where('id', '!=', excludeClusterId);
  const row = await usage.executeTakeFirstOrThrow();
  checkQuota(teamPolicy(team), { clusters: Number(row.clusters), nodes: Number(row.nodes) }, request);
}
