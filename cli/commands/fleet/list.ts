/** `kaas fleet list [--status STATUS]`: campaigns, newest first. */
import type { CampaignStatus, CampaignSummary } from '../../api-types.ts';
import type { Api } from '../../client.ts';

/** The statuses `--status` accepts. */
export const CAMPAIGN_STATUSES: readonly CampaignStatus[] = ['running', 'paused', 'awaiting_approval', 'halted', 'cancelled', 'completed'];

export async function listCampaigns(api: Api, opts: { status?: CampaignStatus | undefined; limit?: number }): Promise<{ items: CampaignSummary[] }> {
  return api.trpc.fleet.list.query({ ...(opts.status ? { status: opts.status } : {}), limit: opts.limit ?? 50 });
}
