/** `kaas fleet resume ID|NAME`: continues a paused or halted campaign (a halted wave retries its failed clusters). */
import type { CampaignSummary } from '../../api-types.ts';
import type { Api } from '../../client.ts';

export async function resumeCampaign(api: Api, opts: { id: string }): Promise<{ campaign: CampaignSummary }> {
  return api.trpc.fleet.resume.mutate({ id: opts.id });
}
