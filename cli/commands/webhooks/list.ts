/** `kaas webhooks list [--team TEAM]`: subscriptions (never their secrets), newest first. */
import type { WebhookSubscriptionPage } from '../../api-types.ts';
import type { Api } from '../../client.ts';

export async function listWebhooks(api: Api, opts: { team?: string | undefined }): Promise<WebhookSubscriptionPage> {
  return api.trpc.webhooks.list.query(opts.team ? { team: opts.team } : {});
}
