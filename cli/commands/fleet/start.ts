/** `kaas fleet start NAME [campaign flags]`: plans and starts a campaign; its cluster set is frozen now. */
import type { CampaignPlanInput, CampaignStart } from '../../api-types.ts';
import type { Api } from '../../client.ts';

export async function startCampaign(api: Api, opts: { name: string; input: CampaignPlanInput }): Promise<CampaignStart> {
  return api.trpc.fleet.start.mutate({ ...opts.input, name: opts.name });
}
