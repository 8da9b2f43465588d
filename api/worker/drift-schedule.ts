/**
 * Scheduled drift checks: each pass starts `refresh` operations for `ready` clusters whose last
 * drift check (their latest refresh operation, else their creation) is older than
 * `driftIntervalMinutes`, skipping clusters with an operation in progress.
 *
 * Bounded and spread (platform/drift-budget.ts): a pass starts at most the steady rate that checks
 * every ready cluster once per interval, and never more than the live workers' free slots, so
 * background checks never pile up in the queue (where they would sit behind user work anyway: their
 * jobs have the lowest priority, platform/work-capacity.ts). What is due and not started is the
 * backlog, served as the `kaas_drift_backlog` metric.
 *
 * One pass runs at a time across every worker (a transaction-scoped advisory lock). The pass starts
 * its few operations in that one transaction (rows, jobs and audit commit together), with
 * `FOR UPDATE SKIP LOCKED` on the clusters so a user's request that holds a cluster row is never
 * waited on; the one-active-operation index settles any other race (a CONFLICT is skipped).
 *
 * A hibernated cluster on a cloud whose hibernation stops the control plane (AKS) is not due: its
 * API server is down and a stopped AKS cluster can only be started or deleted
 * (platform/cloud-hibernation.ts); its drift is checked again once it is woken.
 */
import { sql, type Expression, type SqlBool } from 'kysely';
import { CLOUD_HIBERNATION } from '../../platform/cloud-hibernation.ts';
import { CLOUDS } from '../../platform/cluster-spec.ts';
import { driftBudget, driftTickMs } from '../../platform/drift-budget.ts';
import { DomainError } from '../../platform/errors.ts';
import { writeAudit } from '../audit.ts';
import type { Actor } from '../auth/tokens.ts';
import { assertOperationAllowed, insertOperation } from '../clusters/start-operation.ts';
import type { Services } from '../context.ts';
import type { Db, DbOrTx } from '../db/schema.ts';

/** Advisory lock key of the drift pass ("kaasdrft" as a 64-bit number). */
const DRIFT_LOCK_KEY = BigInt('0x6b61617364726674').toString();

const SCHEDULER: Actor = { tokenId: 'system', subject: 'system:drift-scheduler', role: 'platform-admin', teamId: null };

export interface DriftPassResult {
  /** False when another worker held the pass lock (or the schedule is off). */
  ran: boolean;
  /** Checks this pass was allowed to start (spread rate, bounded by the free worker slots). */
  budget: number;
  started: { cluster: string; operationId: string }[];
  skipped: { cluster: string; reason: string }[];
}

export interface DriftPassOptions {
  /** Time between passes (default: the schedule's, platform/drift-budget.ts `driftTickMs`). */
  tickMs?: number;
  /** Slots of the live workers (default: pg-boss's instance registry, else this worker's concurrency). */
  capacity?: number;
}

/** The clouds whose hibernation stops the whole cluster. */
const STOPPING_CLOUDS = CLOUDS.filter((c) => CLOUD_HIBERNATION[c].controlPlaneStop);

/** Ready, live clusters whose last drift check is older than `dueBefore`, that have no operation in progress and are not stopped. */
function dueClusters(db: DbOrTx, dueBefore: Date) {
  return db
    .selectFrom('clusters as c')
    .where('c.status', '=', 'ready')
    .where((eb) => eb.or([eb('c.hibernated_sizes', 'is', null), eb.not(eb.exists(eb.selectFrom('targets as t').select('t.id').where('t.id', '=', eb.ref('c.target_id')).where('t.cloud', 'in', STOPPING_CLOUDS)))]))
    .where('c.deleted_at', 'is', null)
    .where((eb): Expression<SqlBool> => eb(eb.fn.coalesce(eb.selectFrom('operations as o').select((o) => o.fn.max('o.created_at').as('last')).where('o.cluster_id', '=', eb.ref('c.id')).where('o.kind', '=', 'refresh'), 'c.created_at'), '<', dueBefore))
    .where((eb) => eb.not(eb.exists(eb.selectFrom('operations as a').select('a.id').where('a.cluster_id', '=', eb.ref('c.id')).where('a.status', 'in', ['queued', 'running']))));
}

/** Scheduled checks queued or running now. */
export async function checksInFlight(db: DbOrTx): Promise<number> {
  const { n } = await db.selectFrom('operations').select((eb) => eb.fn.countAll<string>().as('n')).where('status', 'in', ['queued', 'running']).where('actor', '=', SCHEDULER.subject).executeTakeFirstOrThrow();
  return Number(n);
}

/** The drift backlog as of `now`: clusters due for a check that none has been started for. */
export async function driftBacklog(db: Db, now: Date, intervalMinutes: number): Promise<number> {
  if (intervalMinutes <= 0) return 0;
  const dueBefore = new Date(now.getTime() - intervalMinutes * 60_000);
  const { n } = await dueClusters(db, dueBefore).select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
  return Number(n);
}

async function liveCapacity(services: Services): Promise<number> {
  const { slots } = await services.queue.capacity().catch(() => ({ slots: 0 }));
  // a worker that just started is in the registry only after its first instance heartbeat
  return slots > 0 ? slots : services.config.workerConcurrency;
}

/** Runs one drift pass as of `now`. */
export async function runDriftPass(services: Services, now: Date, opts: DriftPassOptions = {}): Promise<DriftPassResult> {
  const minutes = services.config.driftIntervalMinutes;
  const result: DriftPassResult = { ran: false, budget: 0, started: [], skipped: [] };
  if (minutes <= 0) return result;
  const dueBefore = new Date(now.getTime() - minutes * 60_000);
  const capacity = opts.capacity ?? (await liveCapacity(services));
  const requestId = `drift-${now.toISOString()}`;
  await services.db.transaction().execute(async (tx) => {
    const { rows } = await sql<{ locked: boolean }>`select pg_try_advisory_xact_lock(${DRIFT_LOCK_KEY}::bigint) as locked`.execute(tx);
    if (!rows[0]?.locked) return;
    result.ran = true;
    const { n: ready } = await tx.selectFrom('clusters').select((eb) => eb.fn.countAll<string>().as('n')).where('status', '=', 'ready').where('deleted_at', 'is', null).executeTakeFirstOrThrow();
    result.budget = driftBudget({ readyClusters: Number(ready), intervalMs: minutes * 60_000, tickMs: opts.tickMs ?? driftTickMs(minutes), inFlight: await checksInFlight(tx), capacity });
    if (result.budget === 0) return;
    // only the columns an operation's start reads, walked in index order (clusters_ready_created)
    const due = await dueClusters(tx, dueBefore)
      .select(['c.id', 'c.team_id', 'c.name', 'c.status', 'c.deleted_at', 'c.failed_operation', 'c.status_reason'])
      .orderBy('c.created_at')
      .limit(result.budget)
      .forUpdate('c')
      .skipLocked()
      .execute();
    for (const cluster of due) {
      try {
        assertOperationAllowed(cluster, 'refresh');
        const op = await insertOperation(services, tx, cluster, 'refresh', SCHEDULER, requestId, { scheduled: true });
        result.started.push({ cluster: cluster.id, operationId: op.id });
        await writeAudit(tx, { actor: SCHEDULER.subject, teamId: cluster.team_id, action: 'clusters.drift', target: cluster.name, result: 'ok', requestId, detail: { scheduled: true, operationId: op.id } });
      } catch (err) {
        // a user started an operation since the query: the cluster is checked on a later pass
        if (err instanceof DomainError && (err.code === 'CONFLICT' || err.code === 'PRECONDITION_FAILED')) result.skipped.push({ cluster: cluster.id, reason: err.message });
        else throw err;
      }
    }
  });
  if (result.started.length > 0) services.logger.info({ started: result.started.length, skipped: result.skipped.length, budget: result.budget, capacity }, 'drift pass started refresh operations');
  return result;
}

/** Runs drift passes on a timer (platform/drift-budget.ts `driftTickMs`); returns a stop function. */
export function startDriftSchedule(services: Services): () => Promise<void> {
  const minutes = services.config.driftIntervalMinutes;
  if (minutes <= 0) return async () => {};
  const everyMs = driftTickMs(minutes);
  let running: Promise<unknown> = Promise.resolve();
  let busy = false;
  const timer = setInterval(() => {
    // a slow pass is not stacked on: the next tick finds it running and waits for the one after
    if (busy) return;
    busy = true;
    running = runDriftPass(services, new Date(), { tickMs: everyMs })
      .catch((err: unknown) => services.logger.error({ err }, 'drift pass failed'))
      .finally(() => (busy = false));
  }, everyMs);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
}
