/** `kaas webhooks create --url URL --type T [--type T…] [--team TEAM | --platform-wide]`: the signing secret is shown once. */
import type { NewWebhookSubscription } from '../../api-types.ts';
import type { Api } from '../../client.ts';

export async function createWebhook(api: Api, opts: { url: string; types: string[]; team?: string | undefined; platformWide?: boolean; description?: string | undefined }): Promise<NewWebhookSubscription> {
  return api.trpc.webhooks.create.mutate({ url: opts.url, types: opts.types, platformWide: opts.platformWide ?? false, ...(opts.team ? { team: opts.team } : {}), ...(opts.description ? { description: opts.description } : {}) });
}
