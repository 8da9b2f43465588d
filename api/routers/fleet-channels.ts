/**
 * The fleet router's auto-upgrade channel procedures (platform admins only): channel settings of
 * teams and templates, maintenance exclusions, the proposals channels make (list, start,
 * dismiss), and retrying clusters a campaign left blocked.
 */
import { z } from 'zod';
import { exclusionInputSchema } from '../../platform/maintenance-exclusion.ts';
import { CHANNELS } from '../../platform/upgrade-channel.ts';
import { addExclusion, clearChannel, exclusionsFor, removeExclusion, setChannel } from '../fleet/channel-store.ts';
import { toCampaignSummaries } from '../fleet/campaign-view.ts';
import { channelView, exclusionView, proposalViews } from '../fleet/proposal-view.ts';
import { dismissProposal, startProposal } from '../fleet/proposal-start.ts';
import { retryBlocked } from '../fleet/retry-blocked.ts';
import { adminProcedure } from '../trpc.ts';
import { clusterName, dnsName, pageLimit } from './inputs.ts';

const scope = { scope: z.enum(['team', 'template']), name: dnsName(63) };
const byId = z.strictObject({ id: z.string().min(1).max(63) });

export const fleetChannelProcedures = {
  /** Every team's and template's channel setting. */
  channels: adminProcedure.query(async ({ ctx }) => ({ items: (await ctx.services.db.selectFrom('upgrade_channels').selectAll().orderBy('scope').orderBy('scope_name').execute()).map(channelView) })),

  /** Sets the channel a team or template follows; `autoStart` lets its proposals start at their scheduled time. */
  setChannel: adminProcedure
    .input(z.strictObject({ ...scope, channel: z.enum(CHANNELS), autoStart: z.boolean().default(false), startDelayMinutes: z.int().min(0).max(30 * 24 * 60).default(0) }))
    .mutation(async ({ ctx, input }) => {
      ctx.audit.target = `${input.scope}/${input.name}`;
      return { channel: channelView(await setChannel(ctx.services.db, input, ctx.actor.subject)) };
    }),

  /** Removes a setting: the team's clusters follow their template's channel, or none. */
  clearChannel: adminProcedure.input(z.strictObject(scope)).mutation(async ({ ctx, input }) => {
    ctx.audit.target = `${input.scope}/${input.name}`;
    return { removed: await clearChannel(ctx.services.db, input) };
  }),

  /** Exclusions not over yet. */
  exclusions: adminProcedure.query(async ({ ctx }) => ({ items: (await exclusionsFor(ctx.services.db, new Date())).map(exclusionView) })),

  addExclusion: adminProcedure.input(z.strictObject({ ...scope, ...exclusionInputSchema.shape })).mutation(async ({ ctx, input }) => {
    ctx.audit.target = `${input.scope}/${input.name}`;
    const { scope: s, name, ...period } = input;
    return { exclusion: exclusionView(await addExclusion(ctx.services.db, { scope: s, name }, period, ctx.actor.subject)) };
  }),

  removeExclusion: adminProcedure.input(byId).mutation(async ({ ctx, input }) => {
    ctx.audit.target = input.id;
    return { exclusion: exclusionView(await removeExclusion(ctx.services.db, input.id)) };
  }),

  /** The campaigns channels proposed, newest first. */
  proposals: adminProcedure
    .input(z.strictObject({ status: z.enum(['proposed', 'started', 'dismissed']).optional(), limit: pageLimit }).default({ limit: 50 }))
    .query(async ({ ctx, input }) => {
      let q = ctx.services.db.selectFrom('campaign_proposals').selectAll();
      if (input.status) q = q.where('status', '=', input.status);
      return { items: await proposalViews(ctx.services.db, await q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(input.limit).execute()) };
    }),

  startProposal: adminProcedure.input(byId).mutation(async ({ ctx, input }) => {
    ctx.audit.target = input.id;
    const { proposal, campaign } = await startProposal(ctx.services, input.id, ctx.actor);
    return { proposal: (await proposalViews(ctx.services.db, [proposal]))[0]!, campaign: campaign ? (await toCampaignSummaries(ctx.services.db, [campaign]))[0]! : null };
  }),

  dismissProposal: adminProcedure.input(byId).mutation(async ({ ctx, input }) => {
    ctx.audit.target = input.id;
    return { proposal: (await proposalViews(ctx.services.db, [await dismissProposal(ctx.services.db, input.id, ctx.actor)]))[0]! };
  }),

  /** Clusters the campaign left blocked (or only `cluster`) go back to pending: preflight runs again. */
  retry: adminProcedure.input(z.strictObject({ id: z.string().min(1).max(63), cluster: clusterName.optional() })).mutation(async ({ ctx, input }) => {
    const { campaign, retried } = await retryBlocked(ctx.services.db, input.id, input.cluster);
    ctx.audit.target = campaign.name;
    return { campaign: (await toCampaignSummaries(ctx.services.db, [campaign]))[0]!, retried };
  }),
};
