/** What the API returns for a team: its quota policy and current usage, built from the row. */
import type { QuotaUsage, TeamPolicy } from '../../platform/quota-policy.ts';
import type { DbOrTx, TeamRow } from '../db/schema.ts';
import { teamPolicy } from '../clusters/team-usage.ts';
import { teamMonthlyCosts } from '../clusters/team-cost.ts';

export interface Team {
  id: string;
  name: string;
  quota: TeamPolicy;
  /** Live (not deleted) clusters, their desired nodes and estimated monthly cost (USD). */
  usage: QuotaUsage & { monthlyCost: number; unpricedClusters: number };
  createdAt: string;
}

export function teamRowToTeam(row: TeamRow, usage: Team['usage']): Team {
  return { id: row.id, name: row.name, quota: teamPolicy(row), usage, createdAt: row.created_at.toISOString() };
}

/** Live usage of each team id (teams without clusters get zeros). */
export async function usageOfTeams(db: DbOrTx, teamIds: readonly string[]): Promise<Map<string, QuotaUsage>> {
  const out = new Map<string, QuotaUsage>(teamIds.map((id) => [id, { clusters: 0, nodes: 0 }]));
  if (teamIds.length === 0) return out;
  const rows = await db
    .selectFrom('clusters')
    .select((eb) => ['team_id', eb.fn.countAll<string>().as('clusters'), eb.fn.coalesce(eb.fn.sum<string>('node_count'), eb.lit(0)).as('nodes')])
    .where('team_id', 'in', teamIds)
    .where('deleted_at', 'is', null)
    .groupBy('team_id')
    .execute();
  for (const r of rows) out.set(r.team_id, { clusters: Number(r.clusters), nodes: Number(r.nodes) });
  return out;
}

/** Maps team rows to API teams with their usage, in the rows' order. */
export async function toTeams(db: DbOrTx, rows: readonly TeamRow[]): Promise<Team[]> {
  const ids = rows.map((r) => r.id);
  const usage = await usageOfTeams(db, ids);
  const costs = await teamMonthlyCosts(db, ids);
  return rows.map((r) => {
    const cost = costs.get(r.id)!;
    return teamRowToTeam(r, { ...usage.get(r.id)!, monthlyCost: cost.monthly, unpricedClusters: cost.incompleteClusters });
  });
}
