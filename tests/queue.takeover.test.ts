/**
 * A SIGKILLed worker's operation is taken over by another worker within 30 s (issue 14, item 1).
 * Measured on main: 100–120 s — pg-boss fails a job whose heartbeat lapsed (30 s) only in its
 * supervisor's monitor pass (every 60 s), then retries it after the retry delay, and a worker
 * finds the retry by polling. The worst case is the sum of those settings, so the test checks the
 * settings pg-boss actually holds (its queue row, the job row), also for a queue created by an
 * older install, against the bound; tests/fleet.multiprocess.test.ts measures real takeovers.
 * pg-boss@12.38 sources: dist/plans.js `heartbeatLost` (heartbeat_on + heartbeat_seconds < now),
 * `failJobsBody` (retry start_after = now + min(retry_delay_max, retry_delay * (2^(n+1)/2)(1+rand))),
 * dist/boss.js `#monitor` (run on the supervise timer when the queue's monitor_on is older than
 * monitorIntervalSeconds).
 */
import { sql } from 'kysely';
import { PgBoss } from 'pg-boss';
import { afterAll, describe, expect, it } from 'vitest';
import type { OpenDatabase } from '../api/db/database.ts';
import { OPERATIONS_QUEUE, OperationQueue } from '../api/queue/operation-queue.ts';
import { TAKEOVER, takeoverBoundSeconds } from '../api/queue/takeover.ts';
import { freshDatabase } from './support/database.ts';

describe('takeover of a dead worker\'s operation', () => {
  const opened: OpenDatabase[] = [];
  const queues: OperationQueue[] = [];
  afterAll(async () => {
    for (const q of queues) await q.stop();
    for (const o of opened) await o.close();
  });

  it('is bounded by at most 30 s with the settings pg-boss holds, also for a queue an older install created', async () => {
    const open = await freshDatabase();
    opened.push(open);
    // an older install created the queue with a 30 s heartbeat and no retry cap
    const old = new PgBoss({ connectionString: open.url, schema: 'pgboss', supervise: false });
    await old.start();
    await old.createQueue(OPERATIONS_QUEUE, { policy: 'standard', heartbeatSeconds: 30, expireInSeconds: 6 * 3600, retryLimit: 20, retryDelay: 5, retryBackoff: true });
    await old.stop({ graceful: false });

    const queue = await OperationQueue.start(open.url);
    queues.push(queue);
    expect(takeoverBoundSeconds(TAKEOVER)).toBeLessThanOrEqual(30);

    await open.db.transaction().execute((tx) => queue.enqueue(tx, { operationId: 'o_test' }, { teamId: 't_test', background: false, teamQueuedAhead: 0 }));
    const { rows } = await sql<{ q_heartbeat: number; q_delay: number; q_delay_max: number | null; q_backoff: boolean; j_heartbeat: number }>`
      select q.heartbeat_seconds as q_heartbeat, q.retry_delay as q_delay, q.retry_delay_max as q_delay_max, q.retry_backoff as q_backoff, j.heartbeat_seconds as j_heartbeat
      from pgboss.queue q join pgboss.job j on j.name = q.name where q.name = ${OPERATIONS_QUEUE}`.execute(open.db);
    expect(rows[0]).toEqual({ q_heartbeat: TAKEOVER.heartbeatSeconds, q_delay: TAKEOVER.retryDelaySeconds, q_delay_max: TAKEOVER.retryDelayMaxSeconds, q_backoff: true, j_heartbeat: TAKEOVER.heartbeatSeconds });
  });

  it('states the bound as the sum of the queue\'s waits', () => {
    // heartbeat lapse + two supervise/monitor passes + the capped retry delay + one poll
    expect(takeoverBoundSeconds({ heartbeatSeconds: 30, heartbeatRefreshSeconds: 15, superviseIntervalSeconds: 60, monitorIntervalSeconds: 60, retryDelaySeconds: 5, retryDelayMaxSeconds: 10, pollingIntervalSeconds: 2 })).toBe(30 + 60 + 60 + 10 + 2);
  });
});
