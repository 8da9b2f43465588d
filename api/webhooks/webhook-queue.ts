/**
 * The webhook delivery jobs, on the platform's pg-boss in their own queue `kaas-webhooks`: worked by
 * their own, small worker (config.webhooks.concurrency) so a delivery never takes an operation's
 * slot and user operations stay ahead of this background work. Each job is one attempt of one
 * delivery; a retry is a new job sent with `startAfter` (the backoff), in the transaction that
 * records the failed attempt.
 */
import { CompiledQuery } from 'kysely';
import type { Job, PgBoss } from 'pg-boss';
import type { DbOrTx } from '../db/schema.ts';

export const WEBHOOKS_QUEUE = 'kaas-webhooks';

export interface DeliveryJob {
  deliveryId: string;
}

const created = new WeakMap<PgBoss, Promise<void>>();

/** Creates the queue once per pg-boss instance (createQueue leaves an existing queue as it is). */
export function ensureWebhookQueue(boss: PgBoss): Promise<void> {
  let done = created.get(boss);
  if (!done) {
    // pg-boss's own retries only cover a worker that died mid-attempt; failed attempts are retried by deliver.ts
    done = boss.createQueue(WEBHOOKS_QUEUE, { policy: 'standard', retryLimit: 3, retryDelay: 5, expireInSeconds: 300 });
    created.set(boss, done);
    done.catch(() => created.delete(boss));
  }
  return done;
}

/** Sends an attempt of `deliveryId`, after `delaySeconds`, inside `db`'s transaction. */
export async function enqueueDelivery(boss: PgBoss, db: DbOrTx, deliveryId: string, delaySeconds = 0): Promise<void> {
  await ensureWebhookQueue(boss);
  await boss.send(WEBHOOKS_QUEUE, { deliveryId } satisfies DeliveryJob, {
    ...(delaySeconds > 0 ? { startAfter: delaySeconds } : {}),
    db: { executeSql: async (text: string, values?: unknown[]) => ({ rows: (await db.executeQuery(CompiledQuery.raw(text, values ?? []))).rows }) },
  });
}

/** Works delivery jobs, `concurrency` at a time; returns the worker id (for offWork). */
export async function workDeliveries(boss: PgBoss, concurrency: number, handler: (job: Job<DeliveryJob>) => Promise<void>): Promise<string> {
  await ensureWebhookQueue(boss);
  return boss.work<DeliveryJob>(WEBHOOKS_QUEUE, { localConcurrency: concurrency, batchSize: 1, pollingIntervalSeconds: 1 }, async (jobs) => {
    for (const job of jobs) await handler(job);
  });
}
