/** `kaas fleet approve ID|NAME`: lets a campaign awaiting approval start its next wave. */
import type { CampaignSummary } from '../../api-types.ts';
import type { Api } from '../../client.ts';

export async function approveCampaign(api: Api, opts: { id: string }): Promise<{ campaign: CampaignSummary }> {
  return api.trpc.fleet.approve.mutate({ id: opts.id });
}
