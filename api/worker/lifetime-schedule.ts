/**
 * The lifetime pass (issue 13, item 4), run on a timer by every worker like the drift pass
 * (api/worker/drift-schedule.ts) and, like it, by one of them at a time (a transaction-scoped
 * advisory lock). As of an injectable `now` it:
 * - publishes `dev.kaas.cluster.ttl-warning` once per configured lead time before a cluster expires
 *   (`KAAS_TTL_WARNING_HOURS`), recording the leads sent in the same transaction as the event;
 * - starts the normal ordered `delete` of each expired cluster (the same operation as
 *   `kaas clusters delete`), actor `system:ttl-reaper`, audited, event `dev.kaas.cluster.expired`;
 * - puts clusters with a hibernation schedule to sleep and wakes them at the schedule's edges
 *   (only when the schedule's wanted state changed since the last pass, so a manual wake or
 *   hibernate holds until the next edge).
 */
import { sql } from 'kysely';
import type { Cloud } from '../../platform/cluster-spec.ts';
import { DomainError } from '../../platform/errors.ts';
import { hibernationSchema, isAsleep, type HibernationSchedule } from '../../platform/hibernation-schedule.ts';
import { dueWarning, formatDuration } from '../../platform/ttl.ts';
import { writeAudit } from '../audit.ts';
import type { Actor } from '../auth/tokens.ts';
import { hibernateCluster, wakeCluster } from '../clusters/cluster-lifetime.ts';
import { startClusterDeleteIn } from '../clusters/delete-cluster.ts';
import type { Services } from '../context.ts';
import type { ClusterRow, Tx } from '../db/schema.ts';
import { publishEvent } from '../events/publish-event.ts';

/** Advisory lock key of the lifetime pass ("kaaslife" as a 64-bit number). */
const LIFETIME_LOCK_KEY = BigInt('0x6b6161736c696665').toString();

export const TTL_REAPER: Actor = { tokenId: 'system', subject: 'system:ttl-reaper', role: 'platform-admin', teamId: null };
export const HIBERNATION_SCHEDULER: Actor = { tokenId: 'system', subject: 'system:hibernation-schedule', role: 'platform-admin', teamId: null };

export interface LifetimePassResult {
  /** False when another worker held the pass lock. */
  ran: boolean;
  warned: { cluster: string; leadMs: number }[];
  /** Expired clusters: the delete operation started, or the approval request a protected cluster's delete opened. */
  expired: { cluster: string; operationId: string | null; approvalId?: string | null }[];
  slept: string[];
  woken: string[];
  skipped: { cluster: string; reason: string }[];
}

const subjectOf = (team: string, name: string) => `clusters/${team}/${name}`;

async function warnAndReap(services: Services, tx: Tx, now: Date, result: LifetimePassResult): Promise<void> {
  const leads = services.config.ttlWarningLeadsMs;
  const horizon = new Date(now.getTime() + Math.max(0, ...leads));
  const rows = await tx
    .selectFrom('clusters as c')
    .innerJoin('teams as t', 't.id', 'c.team_id')
    .selectAll('c')
    .select('t.name as team_name')
    .where('c.deleted_at', 'is', null)
    .where('c.expires_at', 'is not', null)
    .where('c.expires_at', '<=', horizon)
    .where('c.status', 'not in', ['deleting', 'deleted'])
    .orderBy('c.expires_at')
    .limit(500)
    .forUpdate('c')
    .skipLocked()
    .execute();
  const requestId = `ttl-${now.toISOString()}`;
  for (const row of rows) {
    const expiresAt = row.expires_at!;
    const subject = subjectOf(row.team_name, row.name);
    if (expiresAt.getTime() > now.getTime()) {
      const due = dueWarning(expiresAt, now, leads, row.ttl_warnings_sent);
      if (!due) continue;
      await tx.updateTable('clusters').set({ ttl_warnings_sent: JSON.stringify([...row.ttl_warnings_sent, ...due.markSent]) }).where('id', '=', row.id).execute();
      await publishEvent(tx, { type: 'dev.kaas.cluster.ttl-warning', subject, teamId: row.team_id, data: { cluster: row.name, team: row.team_name, expiresAt: expiresAt.toISOString(), lead: formatDuration(due.lead), hint: `extend it with \`kaas clusters extend ${row.name} --by 1d\`` } });
      result.warned.push({ cluster: row.name, leadMs: due.lead });
      continue;
    }
    try {
      // the same start as `kaas clusters delete` (api/clusters/delete-cluster.ts): deletion protection
      // holds it, a protected cluster's delete waits for approvers, else the ordered delete starts
      const started = await startClusterDeleteIn(services, tx, row, TTL_REAPER, requestId, { reason: 'expired' });
      const op = started.operation?.id ?? null;
      const approval = started.approval?.id ?? null;
      await writeAudit(tx, { actor: TTL_REAPER.subject, teamId: row.team_id, action: 'clusters.delete', target: row.name, result: 'ok', requestId, detail: { reason: 'expired', expiresAt: expiresAt.toISOString(), operationId: op, approvalId: approval } });
      await publishEvent(tx, { type: 'dev.kaas.cluster.expired', subject, teamId: row.team_id, data: { cluster: row.name, team: row.team_name, expiresAt: expiresAt.toISOString(), operationId: op, approvalId: approval } });
      result.expired.push({ cluster: row.name, operationId: op, approvalId: approval });
    } catch (err) {
      // an operation in progress, a failed state that cannot delete, protection: tried again next pass
      if (err instanceof DomainError) result.skipped.push({ cluster: row.name, reason: err.message });
      else throw err;
    }
  }
}

function scheduleOf(row: ClusterRow, templateDefault: HibernationSchedule | undefined): HibernationSchedule | undefined {
  if (row.hibernation !== null && row.hibernation !== undefined) return hibernationSchema.parse(row.hibernation) as HibernationSchedule;
  return templateDefault;
}

/** Template versions whose definition has a default hibernation schedule, by ref (`name@version`). */
async function scheduledTemplates(services: Services): Promise<Map<string, HibernationSchedule>> {
  const rows = await services.db.selectFrom('templates').select(['name', 'version']).select(sql<unknown>`definition->'hibernate'`.as('hibernate')).where(sql<boolean>`definition ? 'hibernate'`).execute();
  return new Map(rows.map((r) => [`${r.name}@${r.version}`, hibernationSchema.parse(r.hibernate) as HibernationSchedule]));
}

async function followSchedules(services: Services, now: Date, result: LifetimePassResult): Promise<void> {
  const templates = await scheduledTemplates(services);
  // only clusters that have a schedule: their own, or their template version's
  const rows = await services.db
    .selectFrom('clusters as c')
    .innerJoin('targets as g', 'g.id', 'c.target_id')
    .selectAll('c')
    .select('g.cloud as cloud')
    .where('c.deleted_at', 'is', null)
    .where('c.status', 'in', ['ready', 'failed'])
    .where((eb) => eb.or([eb('c.hibernation', 'is not', null), ...(templates.size > 0 ? [eb('c.template', 'in', [...templates.keys()])] : [])]))
    .execute();
  for (const row of rows) {
    const schedule = scheduleOf(row, row.template ? templates.get(row.template) : undefined);
    if (!schedule) continue;
    const wanted = isAsleep(schedule, now) ? 'asleep' : 'awake';
    if (row.hibernation_last_wanted === wanted) continue;
    const requestId = `hibernation-${now.toISOString()}`;
    try {
      const asleep = row.hibernated_sizes !== null;
      if (wanted === 'asleep' && !asleep) {
        await hibernateCluster(services, HIBERNATION_SCHEDULER, row, row.cloud as Cloud, requestId, true);
        result.slept.push(row.name);
      } else if (wanted === 'awake' && asleep) {
        await wakeCluster(services, HIBERNATION_SCHEDULER, row, row.cloud as Cloud, requestId, true);
        result.woken.push(row.name);
      }
      await services.db.updateTable('clusters').set({ hibernation_last_wanted: wanted }).where('id', '=', row.id).execute();
    } catch (err) {
      // an operation in progress: the edge is acted on at a later pass
      if (err instanceof DomainError) result.skipped.push({ cluster: row.name, reason: err.message });
      else throw err;
    }
  }
}

/** Runs one lifetime pass as of `now`. */
export async function runLifetimePass(services: Services, now: Date): Promise<LifetimePassResult> {
  const result: LifetimePassResult = { ran: false, warned: [], expired: [], slept: [], woken: [], skipped: [] };
  await services.db.transaction().execute(async (tx) => {
    const { rows } = await sql<{ locked: boolean }>`select pg_try_advisory_xact_lock(${LIFETIME_LOCK_KEY}::bigint) as locked`.execute(tx);
    if (!rows[0]?.locked) return;
    result.ran = true;
    await warnAndReap(services, tx, now, result);
  });
  // hibernation edges start their own operations (each its own transaction, through startOperation)
  if (result.ran) await followSchedules(services, now, result);
  if (result.warned.length + result.expired.length + result.slept.length + result.woken.length > 0) services.logger.info({ ...result, ran: undefined }, 'lifetime pass');
  return result;
}

/** Runs lifetime passes every `KAAS_LIFETIME_TICK_SECONDS`; returns a stop function. */
export function startLifetimeSchedule(services: Services): () => Promise<void> {
  const seconds = services.config.lifetimeTickSeconds;
  if (seconds <= 0) return async () => {};
  let running: Promise<unknown> = Promise.resolve();
  let busy = false;
  const timer = setInterval(() => {
    if (busy) return;
    busy = true;
    running = runLifetimePass(services, services.clock?.() ?? new Date())
      .catch((err: unknown) => services.logger.error({ err }, 'lifetime pass failed'))
      .finally(() => (busy = false));
  }, seconds * 1000);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
}
