/**
 * Scheduled drift checks: every pass starts a `refresh` operation for each `ready` cluster whose
 * last drift check (its latest refresh operation, else its creation) is older than
 * `driftIntervalMinutes`, skipping clusters with an operation in progress. A transaction-scoped
 * advisory lock makes one pass run at a time across every worker of a deployment; the database's
 * one-active-operation index settles races with user requests (a CONFLICT is skipped, not an error).
 */
import { sql } from 'kysely';
import { DomainError } from '../../platform/errors.ts';
import { writeAudit } from '../audit.ts';
import type { Actor } from '../auth/tokens.ts';
import { startOperation } from '../clusters/start-operation.ts';
import type { Services } from '../context.ts';

/** Advisory lock key of the drift pass ("kaasdrft" as a 64-bit number). */
const DRIFT_LOCK_KEY = BigInt('0x6b61617364726674').toString();

const SCHEDULER: Actor = { tokenId: 'system', subject: 'system:drift-scheduler', role: 'platform-admin', teamId: null };

export interface DriftPassResult {
  /** False when another worker held the pass lock (or the schedule is off). */
  ran: boolean;
  started: { cluster: string; operationId: string }[];
  skipped: { cluster: string; reason: string }[];
}

/** Runs one drift pass as of `now`. */
export async function runDriftPass(services: Services, now: Date): Promise<DriftPassResult> {
  const minutes = services.config.driftIntervalMinutes;
  const result: DriftPassResult = { ran: false, started: [], skipped: [] };
  if (minutes <= 0) return result;
  const dueBefore = new Date(now.getTime() - minutes * 60_000);
  await services.db.transaction().execute(async (lockTx) => {
    const { rows } = await sql<{ locked: boolean }>`select pg_try_advisory_xact_lock(${DRIFT_LOCK_KEY}::bigint) as locked`.execute(lockTx);
    if (!rows[0]?.locked) return;
    result.ran = true;
    const due = await services.db
      .selectFrom('clusters as c')
      .selectAll('c')
      .where('c.status', '=', 'ready')
      .where('c.deleted_at', 'is', null)
      .where((eb) => eb(eb.fn.coalesce(eb.selectFrom('operations as o').select((o) => o.fn.max('o.created_at').as('last')).where('o.cluster_id', '=', eb.ref('c.id')).where('o.kind', '=', 'refresh'), 'c.created_at'), '<', dueBefore))
      .where((eb) => eb.not(eb.exists(eb.selectFrom('operations as a').select('a.id').where('a.cluster_id', '=', eb.ref('c.id')).where('a.status', 'in', ['queued', 'running']))))
      .orderBy('c.created_at')
      .execute();
    const requestId = `drift-${now.toISOString()}`;
    for (const cluster of due) {
      try {
        const op = await startOperation(services, cluster, 'refresh', SCHEDULER, requestId, { scheduled: true });
        result.started.push({ cluster: cluster.id, operationId: op.id });
        await writeAudit(services.db, { actor: SCHEDULER.subject, teamId: cluster.team_id, action: 'clusters.drift', target: cluster.name, result: 'ok', requestId, detail: { scheduled: true, operationId: op.id } });
      } catch (err) {
        // a user started an operation since the query: the cluster is checked on a later pass
        if (err instanceof DomainError && (err.code === 'CONFLICT' || err.code === 'PRECONDITION_FAILED')) result.skipped.push({ cluster: cluster.id, reason: err.message });
        else throw err;
      }
    }
  });
  if (result.started.length > 0) services.logger.info({ started: result.started.length, skipped: result.skipped.length }, 'drift pass started refresh operations');
  return result;
}

/** Runs drift passes on a timer (every tenth of the interval, 1–10 minutes); returns a stop function. */
export function startDriftSchedule(services: Services): () => Promise<void> {
  const minutes = services.config.driftIntervalMinutes;
  if (minutes <= 0) return async () => {};
  const everyMs = Math.min(10, Math.max(1, minutes / 10)) * 60_000;
  let running: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    running = runDriftPass(services, new Date()).catch((err: unknown) => services.logger.error({ err }, 'drift pass failed'));
  }, everyMs);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
}
