/** `kaas fleet cancel ID|NAME`: stops the campaign for good: clusters not started yet are skipped. */
import type { CampaignSummary } from '../../api-types.ts';
import type { Api } from '../../client.ts';

export async function cancelCampaign(api: Api, opts: { id: string }): Promise<{ campaign: CampaignSummary }> {
  return api.trpc.fleet.cancel.mutate({ id: opts.id });
}
