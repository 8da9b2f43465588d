/** `kaas webhooks redeliver DELIVERY`: sends the delivery again now (same event id, a fresh signature). */
import type { WebhookDelivery } from '../../api-types.ts';
import type { Api } from '../../client.ts';

export async function redeliver(api: Api, opts: { id: string }): Promise<WebhookDelivery> {
  return api.trpc.webhooks.redeliver.mutate({ id: opts.id });
}
