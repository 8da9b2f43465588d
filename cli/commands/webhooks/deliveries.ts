/** `kaas webhooks deliveries ID [--limit N]`: a subscription's deliveries, newest first, with attempts and the last error. */
import type { WebhookDeliveryPage } from '../../api-types.ts';
import type { Api } from '../../client.ts';
import { usageError } from '../../errors.ts';

export async function listDeliveries(api: Api, opts: { id: string; limit?: string | undefined }): Promise<WebhookDeliveryPage> {
  if (opts.limit !== undefined && (!/^\d+$/.test(opts.limit) || Number(opts.limit) < 1 || Number(opts.limit) > 200)) throw usageError(`--limit "${opts.limit}" must be a whole number from 1 to 200`);
  return api.trpc.webhooks.deliveries.query({ id: opts.id, ...(opts.limit ? { limit: Number(opts.limit) } : {}) });
}
