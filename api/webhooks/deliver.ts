/**
 * One attempt of one delivery (a `kaas-webhooks` job): builds the CloudEvents 1.0 structured JSON
 * body of the event, signs it (`Kaas-Signature`, platform/webhook-signature.ts), POSTs it, and
 * records the outcome: succeeded on 2xx; else the error and status code, and either the next
 * attempt (a new job after the backoff of platform/webhook-backoff.ts, in the same transaction)
 * or `failed` once the attempts are spent. `kaas webhooks redeliver` starts it again.
 */
import { CLOUDEVENTS_CONTENT_TYPE, toCloudEvent } from '../../platform/cloud-event.ts';
import { retryDelaySeconds } from '../../platform/webhook-backoff.ts';
import { SIGNATURE_HEADER, signWebhook } from '../../platform/webhook-signature.ts';
import type { Services } from '../context.ts';
import { systemResolver, type Resolver } from './guarded-lookup.ts';
import { postWebhook, type PostResult } from './post-webhook.ts';
import { openSecret } from './secret-box.ts';
import { enqueueDelivery } from './webhook-queue.ts';

export interface DeliveryDeps {
  resolve: Resolver;
  now: () => Date;
}

export const defaultDeliveryDeps: DeliveryDeps = { resolve: systemResolver, now: () => new Date() };

/** Runs one attempt of `deliveryId`; does nothing when it is already settled or gone. */
export async function deliverOnce(services: Services, deliveryId: string, deps: DeliveryDeps = defaultDeliveryDeps): Promise<void> {
  const { db, config } = services;
  const row = await db
    .selectFrom('webhook_deliveries as d')
    .innerJoin('webhook_subscriptions as s', 's.id', 'd.subscription_id')
    .innerJoin('platform_events as e', 'e.id', 'd.event_id')
    .select(['d.id', 'd.status', 'd.attempts', 's.url', 's.secret', 'e.id as event_id', 'e.type', 'e.subject', 'e.time', 'e.data'])
    .where('d.id', '=', deliveryId)
    .executeTakeFirst();
  if (!row || row.status === 'succeeded' || row.status === 'failed') return;
  const body = JSON.stringify(toCloudEvent({ id: row.event_id, type: row.type, subject: row.subject, time: row.time, data: row.data as Record<string, unknown> }));
  const timestamp = Math.floor(deps.now().getTime() / 1000);
  let secret: string;
  try {
    secret = openSecret(row.secret, config.webhooks.secretKey);
  } catch (err) {
    // a configuration error of this worker: recorded on the delivery (and retried, so fixing the key recovers it)
    return recordAttempt(services, row.id, row.attempts, { error: (err as Error).message }, deps.now());
  }
  const headers = { 'content-type': CLOUDEVENTS_CONTENT_TYPE, [SIGNATURE_HEADER.toLowerCase()]: signWebhook(secret, body, timestamp), 'user-agent': 'kaas-webhooks/1', 'kaas-delivery': row.id };
  const outcome = await postWebhook(new URL(row.url), body, headers, { policy: config.webhooks, resolve: deps.resolve, timeoutMs: config.webhooks.timeoutSeconds * 1000 });
  await recordAttempt(services, row.id, row.attempts, outcome, deps.now());
}

/** Records attempt `previous + 1` of delivery `id` and, when it failed and attempts remain, sends the next one after the backoff. */
async function recordAttempt(services: Services, id: string, previous: number, outcome: PostResult, now: Date): Promise<void> {
  const { db, config } = services;
  const attempts = previous + 1;
  const row = { id };
  await db.transaction().execute(async (tx) => {
    if (!outcome.error) {
      await tx.updateTable('webhook_deliveries').set({ status: 'succeeded', attempts, response_code: outcome.status ?? null, last_error: null, next_attempt_at: null, delivered_at: now, updated_at: now }).where('id', '=', row.id).execute();
      return;
    }
    const delay = retryDelaySeconds(attempts, config.webhooks.maxAttempts, config.webhooks.retryBaseSeconds);
    const next = delay === undefined ? null : new Date(now.getTime() + delay * 1000);
    await tx
      .updateTable('webhook_deliveries')
      .set({ status: next ? 'retrying' : 'failed', attempts, response_code: outcome.status ?? null, last_error: outcome.error.slice(0, 1000), next_attempt_at: next, updated_at: now })
      .where('id', '=', row.id)
      .execute();
    if (delay !== undefined) await enqueueDelivery(services.queue.boss, tx, row.id, delay);
  });
}
