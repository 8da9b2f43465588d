/**
 * The worker role's webhook loop: the dispatcher (every `pollMs`, turning new events into
 * deliveries) and the delivery worker on its own queue (webhook-queue.ts). Started by
 * platform-process.ts next to the operation worker.
 */
import type { Services } from '../context.ts';
import { defaultDeliveryDeps, deliverOnce, type DeliveryDeps } from './deliver.ts';
import { dispatchEvents } from './dispatch-events.ts';
import { WEBHOOKS_QUEUE, workDeliveries } from './webhook-queue.ts';

/** Starts dispatching and delivering; the returned function stops both. */
export async function startWebhookWorker(services: Services, opts: { pollMs?: number; deps?: DeliveryDeps } = {}): Promise<() => Promise<void>> {
  const deps = opts.deps ?? defaultDeliveryDeps;
  const boss = services.queue.boss;
  let stopped = false;
  let running: Promise<unknown> = Promise.resolve();
  const tick = () => {
    if (stopped) return;
    running = dispatchEvents(services.db, boss)
      .catch((err: unknown) => services.logger.warn({ err: String(err) }, 'webhook dispatch failed; retrying at the next tick'))
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, opts.pollMs ?? 1000);
      });
  };
  let timer = setTimeout(tick, 0);
  await workDeliveries(boss, services.config.webhooks.concurrency, async (job) => {
    await deliverOnce(services, job.data.deliveryId, deps);
  });
  return async () => {
    stopped = true;
    clearTimeout(timer);
    await running;
    await boss.offWork(WEBHOOKS_QUEUE, { wait: true });
  };
}
