/**
 * The operation job queue, on pg-boss in the platform's PostgreSQL. An operation row and its job
 * are written in one transaction (`enqueue` takes the transaction). Jobs may run for hours (a real
 * EKS create takes 15–20 minutes), so instead of pg-boss's 15-minute active-job expiry the queue
 * uses a long expiry plus heartbeats: a worker that dies stops heartbeating and its job is taken
 * over within the bound of takeover.ts (26 s), and the engine's lock recovery lets the retry converge.
 *
 * Fair, bounded work (platform/work-capacity.ts) uses pg-boss's own features: each job's `priority`
 * is its rank in its team's line (background drift checks below all user work), each user job is in
 * its team's `group`, and workers fetch with `groupConcurrency` (a team's cap across every worker)
 * and `localConcurrency` (the worker-wide cap).
 */
import { CompiledQuery } from 'kysely';
import type pg from 'pg';
import { PgBoss, type Job } from 'pg-boss';
import { guardPool } from '../db/connection-errors.ts';
import { jobGroup, jobPriority, type JobPlacement } from '../../platform/work-capacity.ts';
import type { Tx } from '../db/schema.ts';
import { TAKEOVER } from './takeover.ts';

export const OPERATIONS_QUEUE = 'kaas-operations';

export interface OperationJob {
  operationId: string;
}

/** How many jobs a worker process runs at once. */
export interface WorkLimits {
  /** This process's slots (pg-boss `localConcurrency`). */
  concurrency: number;
  /** Jobs of one team running at once across every worker (pg-boss `groupConcurrency`). */
  teamMaxRunning: number;
}

/** The worker slots of live workers, from pg-boss's instance registry (refreshed on each instance heartbeat). */
export interface QueueCapacity {
  workers: number;
  slots: number;
}

export interface QueueOptions {
  /** Seconds between worker heartbeats; a job whose worker misses one is retried. Min 10. */
  heartbeatSeconds?: number;
  /** Upper bound of one job's run, in seconds. */
  expireInSeconds?: number;
  /** How often a job is handed to a worker again after a crash or shutdown. */
  retryLimit?: number;
  /** Seconds before the first retry (doubling after). */
  retryDelaySeconds?: number;
}

export class OperationQueue {
  readonly boss: PgBoss;
  #workers: string[] = [];

  private constructor(boss: PgBoss) {
    this.boss = boss;
  }

  /** Connects, installs or migrates pg-boss's schema, and creates the queue. */
  static async start(connectionString: string, opts: QueueOptions = {}, onError: (err: Error) => void = () => {}): Promise<OperationQueue> {
    const boss = new PgBoss({ connectionString, schema: 'pgboss', useListenNotify: true, max: 4, superviseIntervalSeconds: TAKEOVER.superviseIntervalSeconds, monitorIntervalSeconds: TAKEOVER.monitorIntervalSeconds });
    boss.on('error', onError);
    await boss.start();
    // pg-boss guards the clients of its own statements (pg-boss/dist/db.js@12.38 `executeSql`);
    // a listener on every client it connects later also covers any other checkout. Pool errors
    // already reach `onError` through pg-boss's 'error' event.
    const pool = (boss.getDb() as { pool?: pg.Pool }).pool;
    if (pool) guardPool(pool);
    // the takeover timings (takeover.ts); createQueue leaves an existing queue as it is, so an
    // older install's queue gets them from updateQueue
    const timings = { heartbeatSeconds: opts.heartbeatSeconds ?? TAKEOVER.heartbeatSeconds, retryDelay: opts.retryDelaySeconds ?? TAKEOVER.retryDelaySeconds, retryDelayMax: TAKEOVER.retryDelayMaxSeconds, retryBackoff: true };
    await boss.createQueue(OPERATIONS_QUEUE, {
      policy: 'standard',
      notify: true,
      expireInSeconds: opts.expireInSeconds ?? 6 * 3600,
      // operations are idempotent and decide their own failures; pg-boss retries only carry a
      // job to another worker after a crash or shutdown
      retryLimit: opts.retryLimit ?? 20,
      ...timings,
    });
    await boss.updateQueue(OPERATIONS_QUEUE, timings);
    return new OperationQueue(boss);
  }

  /** Sends the job of an operation inside the transaction that inserted it, placed by team and kind of work. */
  async enqueue(tx: Tx, job: OperationJob, placement: JobPlacement): Promise<void> {
    const group = jobGroup(placement);
    await this.boss.send(OPERATIONS_QUEUE, job, {
      priority: jobPriority(placement),
      ...(group ? { group: { id: group } } : {}),
      db: { executeSql: async (text: string, values?: unknown[]) => ({ rows: (await tx.executeQuery(CompiledQuery.raw(text, values ?? []))).rows }) },
    });
  }

  /** Runs `handler` for each job, `limits.concurrency` at a time in this process and `limits.teamMaxRunning` per team overall. */
  async work(limits: WorkLimits, handler: (job: Job<OperationJob>) => Promise<void>): Promise<void> {
    // NOTIFY wakes workers for new jobs only; retries (after a crash or shutdown) are found by
    // polling, so poll often even when NOTIFY is on
    const id = await this.boss.work<OperationJob>(OPERATIONS_QUEUE, { localConcurrency: limits.concurrency, groupConcurrency: limits.teamMaxRunning, batchSize: 1, pollingIntervalSeconds: TAKEOVER.pollingIntervalSeconds, notifyPollingIntervalSeconds: TAKEOVER.pollingIntervalSeconds, heartbeatRefreshSeconds: TAKEOVER.heartbeatRefreshSeconds }, async (jobs) => {
      for (const job of jobs) await handler(job);
    });
    this.#workers.push(id);
  }

  /** The slots of the live workers on the operations queue, as their last instance heartbeats recorded them. */
  async capacity(): Promise<QueueCapacity> {
    const instances = await this.boss.getInstances();
    let workers = 0;
    let slots = 0;
    for (const instance of instances) {
      if (!instance.live) continue;
      const mine = instance.workers.filter((w) => w.queue === OPERATIONS_QUEUE);
      if (mine.length === 0) continue;
      workers++;
      slots += mine.reduce((n, w) => n + w.localConcurrency, 0);
    }
    return { workers, slots };
  }

  /** Stops taking new jobs; running handlers go on until they finish. */
  async stopWorking(): Promise<void> {
    await this.boss.offWork(OPERATIONS_QUEUE, { wait: false });
  }

  async stop(): Promise<void> {
    await this.boss.stop({ graceful: true, timeout: 30_000 });
  }
}
