/** `kaas webhooks delete ID`: removes the subscription and its delivery records. */
import type { Api } from '../../client.ts';

export async function deleteWebhook(api: Api, opts: { id: string }): Promise<{ id: string; deleted: boolean }> {
  return api.trpc.webhooks.delete.mutate({ id: opts.id });
}
