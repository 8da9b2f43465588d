/** What the API returns for campaigns: a summary per campaign, and per-cluster progress. */
import { sql } from 'kysely';
import { describeUpgradeStep } from '../../platform/upgrade-step.ts';
import type { UpgradeProgress } from '../clusters/upgrade-input.ts';
import type { CampaignClusterStatus, CampaignRow, DbOrTx } from '../db/schema.ts';

export interface CampaignSummary {
  id: string;
  name: string;
  kind: CampaignRow['kind'];
  /** `1.34` for upgrades (`1.33.5` for a patch campaign), `name@version` for template rollouts. */
  target: string;
  status: CampaignRow['status'];
  statusReason: string | null;
  waves: string[];
  /** The wave being run (or last run), by name. */
  currentWave: string | null;
  maxParallel: number;
  failureThreshold: number;
  approvalBetweenWaves: boolean;
  soakSeconds: number;
  selector: unknown;
  strategy: unknown;
  /** How many clusters are in each state. */
  counts: Record<CampaignClusterStatus, number>;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  finishedAt: string | null;
}

export interface CampaignClusterProgress {
  clusterId: string;
  name: string;
  team: string;
  wave: string | null;
  status: CampaignClusterStatus;
  reason: string | null;
  operationId: string | null;
  attempts: number;
  kubernetesVersion: string;
  /** The control-plane patch release pinned (a patch campaign's), or null. */
  kubernetesPatch: string | null;
  template: string | null;
  startedAt: string | null;
  finishedAt: string | null;
  /** Upgrades: the plan step reached, `3/4 control plane 1.33 → 1.34` (null before it started). */
  step: string | null;
  /** Upgrades: the health gates run so far, one line each (`after 1/4: passed` or the failing checks). */
  gates: { afterStep: number; passed: boolean; elapsedMs: number; failing: string[] }[];
  /** Upgrades: every reason preflight blocked the cluster (status `blocked`). */
  blockedReasons: string[];
}

const STATUSES: CampaignClusterStatus[] = ['pending', 'waiting_window', 'upgrading', 'succeeded', 'failed', 'blocked', 'skipped', 'deleted'];

export function campaignRowToSummary(row: CampaignRow, counts: Partial<Record<CampaignClusterStatus, number>>): CampaignSummary {
  return {
    id: row.id,
    name: row.name,
    kind: row.kind,
    target: row.kind === 'upgrade' ? (row.target_release ?? row.target_version!) : `${row.template}@${row.template_version}`,
    status: row.status,
    statusReason: row.status_reason,
    waves: row.wave_names,
    currentWave: row.wave_names[row.current_wave] ?? null,
    maxParallel: row.max_parallel,
    failureThreshold: row.failure_threshold,
    approvalBetweenWaves: row.approval_required,
    soakSeconds: row.soak_seconds,
    selector: row.selector,
    strategy: row.strategy,
    counts: Object.fromEntries(STATUSES.map((s) => [s, counts[s] ?? 0])) as Record<CampaignClusterStatus, number>,
    createdBy: row.created_by,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    finishedAt: row.finished_at?.toISOString() ?? null,
  };
}

/** Summaries of `rows`, with their per-status counts read in one query. */
export async function toCampaignSummaries(db: DbOrTx, rows: CampaignRow[]): Promise<CampaignSummary[]> {
  if (rows.length === 0) return [];
  const counts = await db
    .selectFrom('campaign_clusters')
    .select(['campaign_id', 'status', (eb) => eb.fn.countAll<string>().as('n')])
    .where('campaign_id', 'in', rows.map((r) => r.id))
    .groupBy(['campaign_id', 'status'])
    .execute();
  const by = new Map<string, Partial<Record<CampaignClusterStatus, number>>>();
  for (const c of counts) (by.get(c.campaign_id) ?? by.set(c.campaign_id, {}).get(c.campaign_id)!)[c.status] = Number(c.n);
  return rows.map((r) => campaignRowToSummary(r, by.get(r.id) ?? {}));
}

/** Per-cluster progress of a campaign, in plan order (waves first, then skipped). */
export async function campaignProgress(db: DbOrTx, campaign: CampaignRow): Promise<CampaignClusterProgress[]> {
  const rows = await db
    .selectFrom('campaign_clusters')
    .innerJoin('clusters', 'clusters.id', 'campaign_clusters.cluster_id')
    .innerJoin('teams', 'teams.id', 'clusters.team_id')
    .leftJoin('operations', 'operations.id', 'campaign_clusters.operation_id')
    .select([
      'campaign_clusters.cluster_id',
      'clusters.name',
      'teams.name as team',
      'campaign_clusters.wave',
      'campaign_clusters.status',
      'campaign_clusters.reason',
      'campaign_clusters.operation_id',
      'campaign_clusters.attempts',
      'clusters.kubernetes_version',
      sql<string | null>`clusters.spec->>'kubernetesPatch'`.as('kubernetes_patch'),
      'clusters.template',
      'campaign_clusters.started_at',
      'campaign_clusters.finished_at',
      'operations.step_index',
      'operations.result',
    ])
    .where('campaign_clusters.campaign_id', '=', campaign.id)
    .orderBy('campaign_clusters.position')
    .execute();
  return rows.map((r) => ({
    clusterId: r.cluster_id,
    name: r.name,
    team: r.team,
    wave: r.wave === null ? null : (campaign.wave_names[r.wave] ?? null),
    status: r.status,
    reason: r.reason,
    operationId: r.operation_id,
    attempts: r.attempts,
    kubernetesVersion: r.kubernetes_version,
    kubernetesPatch: r.kubernetes_patch,
    template: r.template,
    startedAt: r.started_at?.toISOString() ?? null,
    finishedAt: r.finished_at?.toISOString() ?? null,
    ...upgradeProgressView(r.step_index, r.result),
  }));
}

/** Step, gate results and blocked reasons of an upgrade operation's progress. */
function upgradeProgressView(stepIndex: number | null, result: unknown): Pick<CampaignClusterProgress, 'step' | 'gates' | 'blockedReasons'> {
  const progress = result as Partial<UpgradeProgress> | null;
  const steps = progress?.plan?.steps ?? [];
  const at = stepIndex === null || steps.length === 0 ? null : Math.min(stepIndex, steps.length - 1);
  const step = at === null ? null : stepIndex! >= steps.length ? `${steps.length}/${steps.length} done` : `${at + 1}/${steps.length} ${describeUpgradeStep(steps[at]!)}`;
  return {
    step,
    gates: (progress?.gates ?? []).map((g) => ({ afterStep: g.afterStep, passed: g.passed, elapsedMs: g.elapsedMs, failing: g.results.filter((c) => !c.ok).map((c) => `${c.check}: ${c.message}`) })),
    blockedReasons: (progress?.blocked?.blockers ?? []).map((b) => `${b.check}: ${b.message}`),
  };
}
