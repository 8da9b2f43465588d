/** `kaas fleet pause ID|NAME`: stops starting clusters (running upgrades finish); `resume` continues. */
import type { CampaignSummary } from '../../api-types.ts';
import type { Api } from '../../client.ts';

export async function pauseCampaign(api: Api, opts: { id: string }): Promise<{ campaign: CampaignSummary }> {
  return api.trpc.fleet.pause.mutate({ id: opts.id });
}
