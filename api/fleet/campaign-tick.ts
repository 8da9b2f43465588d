/**
 * One step of every active campaign, at time `now` (injectable: tests and the runner pass their
 * clock). Per campaign, inside a transaction holding its row `FOR UPDATE SKIP LOCKED` — so across
 * workers exactly one runner steps a campaign at a time, and the others skip it:
 *
 * 1. record finished operations (succeeded / failed / blocked by upgrade preflight, which does not
 *    count as a failure) and clusters deleted meanwhile;
 * 2. unless the campaign is `running`, stop here (pause, halt, cancel and awaiting approval take
 *    effect at the next tick; operations already running finish and are recorded);
 * 3. halt when MORE than `failure_threshold` clusters have failed (threshold 0 = the first failure);
 * 4. when every cluster of the current wave is done: soak `soak_seconds`, then wait for approval
 *    when required, then move to the next wave (or complete after the last one);
 * 5. start the current wave's pending clusters, at most `max_parallel` running at once.
 *
 * All state lives in the database, so a new runner (after a restart) continues where one stopped.
 */
import { DEFAULT_APPROVAL_POLICY } from '../../platform/approval-policy.ts';
import { openApprovalRequest } from '../approvals/open-request.ts';
import { wavePlan } from './campaign-control.ts';
import { sql } from 'kysely';
import type { UpgradeProgress } from '../clusters/upgrade-input.ts';
import type { Services } from '../context.ts';
import type { CampaignClusterRow, CampaignRow, Tx } from '../db/schema.ts';
import { publishCampaignEvent } from './campaign-event.ts';
import { startCampaignCluster, windowWait } from './start-campaign-cluster.ts';

const OPEN = ['pending', 'waiting_window', 'upgrading'] as const;

/** Steps every campaign that is running or still has operations in flight. */
export async function runCampaignTick(services: Services, now: Date): Promise<void> {
  const campaigns = await services.db
    .selectFrom('campaigns')
    .select('id')
    .where((eb) =>
      eb.or([
        eb('status', '=', 'running'),
        eb.exists(eb.selectFrom('campaign_clusters').select('cluster_id').whereRef('campaign_clusters.campaign_id', '=', 'campaigns.id').where('campaign_clusters.status', '=', 'upgrading')),
      ]),
    )
    .orderBy('created_at')
    .execute();
  for (const { id } of campaigns) await tickCampaign(services, id, now);
}

/** Steps one campaign; does nothing when another runner holds it. */
export async function tickCampaign(services: Services, id: string, now: Date): Promise<void> {
  await services.db.transaction().execute(async (tx) => {
    const campaign = await tx.selectFrom('campaigns').selectAll().where('id', '=', id).forUpdate().skipLocked().executeTakeFirst();
    if (!campaign) return;
    await recordFinishedOperations(tx, campaign, now);
    if (campaign.status !== 'running') return;
    await markDeleted(tx, campaign.id, now);
    const failed = await countFailed(tx, campaign.id);
    if (failed > campaign.failure_threshold) {
      await setCampaign(tx, campaign, { status: 'halted', status_reason: `${failed} cluster(s) failed, more than the failure threshold of ${campaign.failure_threshold}; fix the cause, then \`kaas fleet resume\`` }, now);
      return;
    }
    const members = await advanceWaves(services, tx, campaign, now);
    if (members) await startPending(services, tx, campaign, members, now);
  });
}

async function setCampaign(tx: Tx, campaign: CampaignRow, values: Partial<Pick<CampaignRow, 'status' | 'status_reason' | 'current_wave' | 'wave_done_at' | 'finished_at'>>, now: Date): Promise<void> {
  const previous = campaign.status;
  Object.assign(campaign, values);
  await tx.updateTable('campaigns').set({ ...values, updated_at: now }).where('id', '=', campaign.id).execute();
  if (values.status !== undefined && values.status !== previous) await publishCampaignEvent(tx, campaign, previous);
}

async function setMember(tx: Tx, m: CampaignClusterRow, values: Partial<Pick<CampaignClusterRow, 'status' | 'reason' | 'operation_id' | 'attempts' | 'started_at' | 'finished_at'>>, now: Date): Promise<void> {
  Object.assign(m, values);
  await tx.updateTable('campaign_clusters').set({ ...values, updated_at: now }).where('campaign_id', '=', m.campaign_id).where('cluster_id', '=', m.cluster_id).execute();
}

/** Moves `upgrading` clusters whose operation ended to succeeded / failed. */
async function recordFinishedOperations(tx: Tx, campaign: CampaignRow, now: Date): Promise<void> {
  const running = await tx.selectFrom('campaign_clusters').selectAll().where('campaign_id', '=', campaign.id).where('status', '=', 'upgrading').execute();
  if (running.length === 0) return;
  const ops = await tx.selectFrom('operations').select(['id', 'status', 'error', 'input', 'result']).where('id', 'in', running.map((m) => m.operation_id!)).execute();
  const byId = new Map(ops.map((o) => [o.id, o]));
  for (const m of running) {
    const op = byId.get(m.operation_id!);
    if (!op || op.status === 'queued' || op.status === 'running') continue;
    if (op.status === 'succeeded') {
      await setMember(tx, m, { status: 'succeeded', reason: null, finished_at: now }, now);
      const template = op.input.template;
      // the worker stores the new spec; the template column follows it for rollouts
      if (campaign.kind === 'template-rollout' && typeof template === 'string') {
        await tx.updateTable('clusters').set({ template }).where('id', '=', m.cluster_id).where(sql<string>`spec->>'template'`, '=', template).execute();
      }
    } else if (op.status === 'needs_approval') {
      // preflight blocked it before a hop: shown with every reason; the campaign goes on without it
      await setMember(tx, m, { status: 'blocked', reason: blockedReason(op.result), finished_at: now }, now);
    } else {
      await setMember(tx, m, { status: 'failed', reason: op.error ?? `operation ${op.id} ${op.status}`, finished_at: now }, now);
    }
  }
}

/** The reason line of an upgrade preflight stopped: `blocked before the hop to 1.33: deprecated-api: …; pod-disruption-budget: …`. */
function blockedReason(result: unknown): string {
  const blocked = (result as Partial<UpgradeProgress> | null)?.blocked;
  if (!blocked) return 'the upgrade stopped for an approval';
  return `blocked before the hop to ${blocked.nextMinor}: ${blocked.blockers.map((b) => `${b.check}: ${b.message}`).join('; ')}`;
}

/** Waiting clusters deleted meanwhile are shown as deleted (and never started). */
async function markDeleted(tx: Tx, campaignId: string, now: Date): Promise<void> {
  await sql`
    update campaign_clusters cc set status = 'deleted', reason = 'the cluster was deleted during the campaign', finished_at = ${now}, updated_at = ${now}
    from clusters c
    where c.id = cc.cluster_id and cc.campaign_id = ${campaignId} and cc.status in ('pending', 'waiting_window') and c.deleted_at is not null`.execute(tx);
}

async function countFailed(tx: Tx, campaignId: string): Promise<number> {
  const { n } = await tx.selectFrom('campaign_clusters').select((eb) => eb.fn.countAll<string>().as('n')).where('campaign_id', '=', campaignId).where('status', '=', 'failed').executeTakeFirstOrThrow();
  return Number(n);
}

/**
 * Moves past finished waves (soak, approval); returns the open clusters of the wave to work on,
 * or undefined when the campaign waits (soaking, awaiting approval) or has completed.
 */
async function advanceWaves(services: Services, tx: Tx, campaign: CampaignRow, now: Date): Promise<CampaignClusterRow[] | undefined> {
  for (;;) {
    const open = await tx.selectFrom('campaign_clusters').selectAll().where('campaign_id', '=', campaign.id).where('wave', '=', campaign.current_wave).where('status', 'in', [...OPEN]).orderBy('position').execute();
    if (open.length > 0) return open;
    if (campaign.wave_done_at === null) await setCampaign(tx, campaign, { wave_done_at: now }, now);
    if (now.getTime() < campaign.wave_done_at!.getTime() + campaign.soak_seconds * 1000) return undefined;
    const next = campaign.current_wave + 1;
    if (next >= campaign.wave_names.length) {
      await setCampaign(tx, campaign, { status: 'completed', status_reason: null, finished_at: now }, now);
      return undefined;
    }
    if (campaign.approval_required && campaign.approved_wave < next) {
      await setCampaign(tx, campaign, { status: 'awaiting_approval', status_reason: `wave ${campaign.wave_names[next]} waits for approval: \`kaas approvals list\`, then \`kaas approvals approve ID\` (or \`kaas fleet approve ${campaign.name}\`)` }, now);
      // the campaign's creator asked for it; someone else approves (platform/approval-policy.ts).
      // Its expiry runs on the wall clock, not the tick's (a test's) clock.
      await openApprovalRequest(tx, { action: 'fleet-wave', campaign, requester: campaign.created_by, rule: DEFAULT_APPROVAL_POLICY['fleet-wave']!, plan: await wavePlan(tx, campaign), ttlHours: services.config.approvalTtlHours, requestId: `campaign-${campaign.id}` });
      return undefined;
    }
    await setCampaign(tx, campaign, { current_wave: next, wave_done_at: null, status_reason: null }, now);
  }
}

/**
 * Starts pending clusters of the current wave while fewer than `max_parallel` run. Clusters whose
 * maintenance window is closed are shown as waiting_window whether or not a slot is free.
 */
async function startPending(services: Services, tx: Tx, campaign: CampaignRow, open: CampaignClusterRow[], now: Date): Promise<void> {
  const { n } = await tx.selectFrom('campaign_clusters').select((eb) => eb.fn.countAll<string>().as('n')).where('campaign_id', '=', campaign.id).where('status', '=', 'upgrading').executeTakeFirstOrThrow();
  let slots = campaign.max_parallel - Number(n);
  const waiting = open.filter((m) => m.status !== 'upgrading');
  if (waiting.length === 0) return;
  const rows = await tx.selectFrom('clusters').selectAll().where('id', 'in', waiting.map((m) => m.cluster_id)).execute();
  const byId = new Map(rows.map((r) => [r.id, r]));
  for (const m of waiting) {
    const row = byId.get(m.cluster_id)!;
    const wait = windowWait(row, now);
    if (wait === undefined && slots <= 0) continue;
    const outcome = wait !== undefined ? ({ status: 'waiting_window', reason: wait } as const) : await startCampaignCluster(services, campaign, row, now);
    if (outcome.status !== 'upgrading' && outcome.status === m.status && outcome.reason === m.reason) continue;
    if (outcome.status === 'upgrading') {
      slots -= 1;
      await setMember(tx, m, { status: 'upgrading', operation_id: outcome.operationId, reason: null, attempts: m.attempts + 1, started_at: now, finished_at: null }, now);
    } else {
      const finished = outcome.status === 'succeeded' || outcome.status === 'failed' || outcome.status === 'deleted' || outcome.status === 'blocked';
      await setMember(tx, m, { status: outcome.status, reason: outcome.reason, ...(finished ? { finished_at: now } : {}) }, now);
    }
  }
}
