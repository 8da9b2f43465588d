/** `kaas fleet plan [campaign flags]`: which cluster goes in which wave, and which are skipped and why. Starts nothing. */
import type { CampaignPlan, CampaignPlanInput } from '../../api-types.ts';
import type { Api } from '../../client.ts';

export async function planCampaign(api: Api, input: CampaignPlanInput): Promise<CampaignPlan> {
  return api.trpc.fleet.plan.query(input);
}
