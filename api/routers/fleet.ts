/**
 * The fleet router: `overview` (every signed-in caller, narrowed to a member's own team), and for
 * platform admins only: plan, start and follow upgrade and template-rollout
 * campaigns, control them (pause, resume, cancel, approve), and set clusters' maintenance windows;
 * auto-upgrade channels, exclusions, proposals and retries are in fleet-channels.ts.
 */
import { z } from 'zod';
import { DomainError } from '../../platform/errors.ts';
import { maintenanceWindowSchema } from '../../platform/maintenance-window.ts';
import { campaignPlanInput, campaignStartInput } from '../fleet/campaign-input.ts';
import { decideApproval } from '../approvals/decide-approval.ts';
import { controlCampaign, findCampaign, type CampaignAction } from '../fleet/campaign-control.ts';
import { campaignProgress, toCampaignSummaries } from '../fleet/campaign-view.ts';
import { liveCapacity } from '../fleet/campaign-capacity.ts';
import { createCampaign } from '../fleet/create-campaign.ts';
import { openCampaignProgressStream } from '../fleet/campaign-stream.ts';
import { setMaintenanceWindow } from '../fleet/maintenance-window-store.ts';
import { planCampaign } from '../fleet/plan-campaign.ts';
import { fleetOverview } from '../fleet/fleet-overview.ts';
import { visibleTeamId } from '../teams/visible-team.ts';
import { adminProcedure, authedProcedure, router } from '../trpc.ts';
import { fleetChannelProcedures } from './fleet-channels.ts';
import { clusterName, pageLimit, teamName } from './inputs.ts';

/** A campaign by id or by name. */
const byCampaign = z.strictObject({ id: z.string().min(1).max(63) });

const control = (action: CampaignAction) =>
  adminProcedure.input(byCampaign).mutation(({ ctx, input }) =>
    (async () => {
      const row = await controlCampaign(ctx.services.db, input.id, action);
      ctx.audit.target = row.name;
      return { campaign: (await toCampaignSummaries(ctx.services.db, [row]))[0]! };
    })(),
  );

export const fleetRouter = router({
  /** The fleet in aggregate (versions per cloud, statuses, support phases, running operations): a member sees their own team's. */
  overview: authedProcedure.input(z.strictObject({ team: teamName.optional() }).default({})).query(({ ctx, input }) =>
    (async () => {
      const teamId = await visibleTeamId(ctx.services.db, ctx.actor, input.team);
      const team = teamId === undefined ? null : ((await ctx.services.db.selectFrom('teams').select('name').where('id', '=', teamId).executeTakeFirst())?.name ?? null);
      return { team, ...(await fleetOverview(ctx.services.db, teamId)) };
    })(),
  ),

  /** Which cluster goes in which wave, and which are skipped and why. Stores nothing. */
  plan: adminProcedure.input(campaignPlanInput).query(async ({ ctx, input }) => planCampaign(ctx.services.db, input, await liveCapacity(ctx.services))),

  /** Plans and starts a campaign; its cluster set is frozen now. */
  start: adminProcedure.input(campaignStartInput).mutation(({ ctx, input }) =>
    (async () => {
      const { campaign, plan } = await createCampaign(ctx.services.db, input, ctx.actor, await liveCapacity(ctx.services));
      return { campaign: (await toCampaignSummaries(ctx.services.db, [campaign]))[0]!, plan };
    })(),
  ),

  /** A campaign and the progress of each of its clusters. */
  status: adminProcedure.input(byCampaign).query(({ ctx, input }) =>
    (async () => {
      const row = await findCampaign(ctx.services.db, input.id);
      return { campaign: (await toCampaignSummaries(ctx.services.db, [row]))[0]!, clusters: await campaignProgress(ctx.services.db, row) };
    })(),
  ),

  /** Live: the campaign and its clusters' progress now and whenever it changes (SSE subscription). */
  campaignProgress: adminProcedure.input(z.strictObject({ campaignId: z.string().min(1).max(63) })).subscription(({ ctx, input, signal }) => openCampaignProgressStream(ctx, input, signal)),

  list: adminProcedure
    .input(z.strictObject({ status: z.enum(['running', 'paused', 'awaiting_approval', 'halted', 'cancelled', 'completed']).optional(), limit: pageLimit }).default({ limit: 50 }))
    .query(({ ctx, input }) =>
      (async () => {
        let query = ctx.services.db.selectFrom('campaigns').selectAll();
        if (input.status) query = query.where('status', '=', input.status);
        const rows = await query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(input.limit).execute();
        return { items: await toCampaignSummaries(ctx.services.db, rows) };
      })(),
    ),

  pause: control('pause'),
  resume: control('resume'),
  cancel: control('cancel'),
  /** The campaign's pending wave approval, approved (the same rule as `approvals.approve`: never by its creator). */
  approve: adminProcedure.input(byCampaign).mutation(({ ctx, input }) =>
    (async () => {
      const c = await findCampaign(ctx.services.db, input.id);
      ctx.audit.target = c.name;
      const pending = await ctx.services.db.selectFrom('approval_requests').select('id').where('campaign_id', '=', c.id).where('action', '=', 'fleet-wave').where('status', '=', 'pending').executeTakeFirst();
      if (!pending) throw new DomainError('PRECONDITION_FAILED', `cannot approve campaign "${c.name}": it is ${c.status.replace('_', ' ')}, with no wave waiting for approval`, { hint: 'approve works on a campaign that is awaiting approval' });
      await decideApproval(ctx.services, ctx.actor, pending.id, 'approve', undefined, ctx.requestId, ctx.audit);
      return { campaign: (await toCampaignSummaries(ctx.services.db, [await findCampaign(ctx.services.db, c.id)]))[0]! };
    })(),
  ),

  /** Sets the weekly window (UTC) in which campaigns may touch a cluster; null clears it (any time). */
  setMaintenanceWindow: adminProcedure
    .input(z.strictObject({ team: teamName, name: clusterName, window: maintenanceWindowSchema.nullable() }))
    .mutation(({ ctx, input }) =>
      (async () => ({ team: input.team, name: input.name, window: await setMaintenanceWindow(ctx.services.db, input.team, input.name, input.window) }))(),
    ),

  ...fleetChannelProcedures,
});
