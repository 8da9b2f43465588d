/**
 * `fleet.campaignProgress`: a campaign with the progress of each of its clusters (what
 * `fleet.status` returns), now and again whenever the campaign or one of its clusters changes,
 * live over SSE. The stream ends once the campaign is completed or cancelled.
 */
import type { Actor } from '../auth/tokens.ts';
import type { Context } from '../context.ts';
import { liveStream } from '../events/live-stream.ts';
import { findCampaign } from './campaign-control.ts';
import { campaignProgress, toCampaignSummaries } from './campaign-view.ts';

/** `fleet.campaignProgress`: NOT_FOUND for an unknown campaign first; over SSE a refusal is the stream's one `serialized-error` event. */
export async function openCampaignProgressStream(ctx: Context & { actor: Actor }, input: { campaignId: string }, signal: AbortSignal | undefined) {
  return campaignProgressStream(ctx, (await findCampaign(ctx.services.db, input.campaignId)).id, signal);
}

async function* campaignProgressStream(ctx: Context & { actor: Actor }, id: string, signal: AbortSignal | undefined) {
  const db = ctx.services.db;
  yield* liveStream(
    ctx,
    signal,
    (c) => c.t === 'campaign' && c.id === id,
    async (wake) => {
      if (wake?.idle) return { items: [], done: false };
      const row = await findCampaign(db, id);
      const campaign = (await toCampaignSummaries(db, [row]))[0]!;
      return { items: [{ campaign, clusters: await campaignProgress(db, row) }], done: row.status === 'completed' || row.status === 'cancelled' };
    },
  );
}
