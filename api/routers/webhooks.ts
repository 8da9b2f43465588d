/**
 * The webhooks router: subscriptions (create shows the signing secret once; list, delete),
 * their deliveries, and redeliver. Scope rules: api/webhooks/subscription-access.ts; the SSRF
 * rule: platform/webhook-url.ts (also applied again at every delivery).
 */
import crypto from 'node:crypto';
import { z } from 'zod';
import { assertEventTypePatterns } from '../../platform/event-types.ts';
import { DomainError } from '../../platform/errors.ts';
import { checkWebhookUrl, needsAddressCheck, bareHost } from '../../platform/webhook-url.ts';
import { newId } from '../ids.ts';
import { authedProcedure, router } from '../trpc.ts';
import { DeniedAddress, resolvePublic, systemResolver } from '../webhooks/guarded-lookup.ts';
import { assertMayManage, findSubscription, scopeForNewSubscription, visibleTeam } from '../webhooks/subscription-access.ts';
import { deliveryRowToView, SUBSCRIPTION_COLUMNS, subscriptionRowToView } from '../webhooks/subscription-view.ts';
import { sealSecret } from '../webhooks/secret-box.ts';
import { enqueueDelivery } from '../webhooks/webhook-queue.ts';
import { pageLimit, teamName } from './inputs.ts';

const subscriptionId = z.string().regex(/^w[a-z0-9]{12}$/, 'not a subscription id (w + 12 characters)');
const deliveryId = z.string().regex(/^d[a-z0-9]{12}$/, 'not a delivery id (d + 12 characters)');
const typePattern = z.string().min(1).max(100).regex(/^(\*|[a-z0-9_.-]+(\.\*)?)$/, 'must be an event type, a prefix.* pattern, or *');

export const webhooksRouter = router({
  create: authedProcedure
    .input(z.strictObject({ team: teamName.optional(), platformWide: z.boolean().default(false), url: z.string().min(1).max(2000), types: z.array(typePattern).min(1).max(50), description: z.string().max(200).optional() }))
    .mutation(({ ctx, input }) =>
      (async () => {
        const { db, config } = ctx.services;
        const team = await scopeForNewSubscription(db, ctx.actor, { team: input.team, platformWide: input.platformWide });
        ctx.audit.teamId = team?.id ?? null;
        assertEventTypePatterns(input.types);
        const url = checkWebhookUrl(input.url, config.webhooks);
        const host = bareHost(url);
        if (needsAddressCheck(host, config.webhooks)) {
          // refuse now what delivery would refuse; a name that does not resolve yet is checked at delivery
          await resolvePublic(systemResolver, host).catch((err: unknown) => {
            if (err instanceof DeniedAddress) throw new DomainError('FORBIDDEN', `url: ${err.message}`, { hint: 'point the subscription at a public receiver' });
          });
        }
        const secret = `whsec_${crypto.randomBytes(32).toString('base64url')}`;
        const row = await db
          .insertInto('webhook_subscriptions')
          .values({ id: newId('w'), url: url.href, event_types: JSON.stringify(input.types), team_id: team?.id ?? null, secret: sealSecret(secret, config.webhooks.secretKey), description: input.description ?? null, created_by: ctx.actor.subject })
          .returning(SUBSCRIPTION_COLUMNS)
          .executeTakeFirstOrThrow();
        ctx.audit.target = row.id;
        return { ...subscriptionRowToView(row, team?.name ?? null), secret };
      })(),
    ),

  list: authedProcedure.input(z.strictObject({ team: teamName.optional() }).default({})).query(({ ctx, input }) =>
    (async () => {
      const db = ctx.services.db;
      assertMayManage(ctx.actor);
      let query = db.selectFrom('webhook_subscriptions as s').leftJoin('teams', 'teams.id', 's.team_id').select(SUBSCRIPTION_COLUMNS.map((c) => `s.${c}` as const)).select('teams.name as team_name');
      const own = visibleTeam(ctx.actor);
      if (own) {
        const mine = await db.selectFrom('teams').select('name').where('id', '=', own).executeTakeFirstOrThrow();
        if (input.team && input.team !== mine.name) throw new DomainError('FORBIDDEN', `your token belongs to team "${mine.name}"; it cannot act for team "${input.team}"`, { hint: 'drop --team, or use a token of that team' });
        query = query.where('s.team_id', '=', own);
      } else if (input.team) query = query.where('teams.name', '=', input.team);
      const rows = await query.orderBy('s.created_at', 'desc').orderBy('s.id', 'desc').execute();
      return { items: rows.map((r) => subscriptionRowToView(r, r.team_name)) };
    })(),
  ),

  delete: authedProcedure.input(z.strictObject({ id: subscriptionId })).mutation(({ ctx, input }) =>
    (async () => {
      const found = await findSubscription(ctx.services.db, ctx.actor, input.id);
      ctx.audit.teamId = found.team_id;
      await ctx.services.db.deleteFrom('webhook_subscriptions').where('id', '=', found.id).execute();
      return { id: found.id, deleted: true };
    })(),
  ),

  deliveries: authedProcedure.input(z.strictObject({ id: subscriptionId, limit: pageLimit })).query(({ ctx, input }) =>
    (async () => {
      const found = await findSubscription(ctx.services.db, ctx.actor, input.id);
      const rows = await ctx.services.db
        .selectFrom('webhook_deliveries as d')
        .innerJoin('platform_events as e', 'e.id', 'd.event_id')
        .selectAll('d')
        .select('e.type')
        .where('d.subscription_id', '=', found.id)
        .orderBy('d.created_at', 'desc')
        .orderBy('d.id', 'desc')
        .limit(input.limit)
        .execute();
      return { items: rows.map(deliveryRowToView) };
    })(),
  ),

  redeliver: authedProcedure.input(z.strictObject({ id: deliveryId })).mutation(({ ctx, input }) =>
    (async () => {
      const { db, queue } = ctx.services;
      assertMayManage(ctx.actor);
      const delivery = await db.selectFrom('webhook_deliveries').select(['id', 'subscription_id']).where('id', '=', input.id).executeTakeFirst();
      const found = delivery ? await findSubscription(db, ctx.actor, delivery.subscription_id).catch(() => undefined) : undefined;
      if (!delivery || !found) throw new DomainError('NOT_FOUND', `webhook delivery ${input.id} does not exist`, { hint: 'list deliveries with `kaas webhooks deliveries SUBSCRIPTION`' });
      ctx.audit.teamId = found.team_id;
      const row = await db.transaction().execute(async (tx) => {
        const updated = await tx.updateTable('webhook_deliveries').set({ status: 'pending', next_attempt_at: new Date(), updated_at: new Date() }).where('id', '=', delivery.id).returningAll().executeTakeFirstOrThrow();
        await enqueueDelivery(queue.boss, tx, delivery.id);
        const type = await tx.selectFrom('platform_events').select('type').where('id', '=', updated.event_id).executeTakeFirstOrThrow();
        return { ...updated, type: type.type };
      });
      return deliveryRowToView(row);
    })(),
  ),
});
