/**
 * Quota enforcement: the team row is locked (FOR UPDATE) for the rest of the transaction, so two
 * concurrent creates or scale-ups of one team are serialised and can never both pass the check.
 */
import { DomainError } from '../../platform/errors.ts';
import { checkQuota, type QuotaRequest, type QuotaUsage, type TeamPolicy } from '../../platform/quota-policy.ts';
import type { DbOrTx, TeamRow, Tx } from '../db/schema.ts';

export function teamPolicy(team: TeamRow): TeamPolicy {
  return {
    maxClusters: team.max_clusters,
    maxTotalNodes: team.max_total_nodes,
    allowedTargets: team.allowed_targets ?? '*',
    allowedTemplates: team.allowed_templates ?? '*',
  };
}

/** A team's live usage: clusters not deleted and their desired nodes (optionally without one cluster). */
async function liveUsage(db: DbOrTx, teamId: string, excludeClusterId?: string): Promise<QuotaUsage> {
  let usage = db
    .selectFrom('clusters')
    .select((eb) => [eb.fn.countAll<string>().as('clusters'), eb.fn.coalesce(eb.fn.sum<string>('node_count'), eb.lit(0)).as('nodes')])
    .where('team_id', '=', teamId)
    .where('deleted_at', 'is', null);
  if (excludeClusterId) usage = usage.where('id', '!=', excludeClusterId);
  const row = await usage.executeTakeFirstOrThrow();
  return { clusters: Number(row.clusters), nodes: Number(row.nodes) };
}

/** Locks the team, reads its live usage and checks the request against its policy. */
export async function lockTeamAndCheckQuota(tx: Tx, teamId: string, request: QuotaRequest, excludeClusterId?: string): Promise<void> {
  const team = await tx.selectFrom('teams').selectAll().where('id', '=', teamId).forUpdate().executeTakeFirstOrThrow();
  checkQuota(teamPolicy(team), await liveUsage(tx, teamId, excludeClusterId), request);
}

/** The quota check's verdict now, without locking (a preview; the create itself checks again under the lock). */
export interface QuotaVerdict {
  ok: boolean;
  /** The refusal the create would meet (FORBIDDEN or QUOTA_EXCEEDED), with its hint. */
  refusal: { code: string; message: string; hint: string | null } | null;
  usage: QuotaUsage;
  limits: { maxClusters: number; maxTotalNodes: number };
}

export async function quotaVerdict(db: DbOrTx, team: TeamRow, request: QuotaRequest): Promise<QuotaVerdict> {
  const usage = await liveUsage(db, team.id);
  const limits = { maxClusters: team.max_clusters, maxTotalNodes: team.max_total_nodes };
  try {
    checkQuota(teamPolicy(team), usage, request);
    return { ok: true, refusal: null, usage, limits };
  } catch (err) {
    if (!(err instanceof DomainError)) throw err;
    return { ok: false, refusal: { code: err.code, message: err.message, hint: err.hint ?? null }, usage, limits };
  }
}
