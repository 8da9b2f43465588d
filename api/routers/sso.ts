/**
 * Single sign-on's group rules: which provider groups map to which kaas role and team (platform
 * admins only). What a sign-in starts with (issuer, client id) is public at `GET /auth/sso/config`
 * (api/web/sso-routes.ts), outside tRPC, where every procedure needs a caller.
 */
import { z } from 'zod';
import { addGroupRule, listGroupRules, removeGroupRule } from '../sso/group-rule-store.ts';
import { adminProcedure, router } from '../trpc.ts';
import { teamName } from './inputs.ts';

/** The scopes a kaas sign-in asks for: identity, the groups claim, and a refresh token. */
export const SSO_SCOPES = 'openid email profile groups offline_access';

const group = z.string().min(1, 'must not be empty').max(200, 'must be at most 200 characters').regex(/^[^\u0000-\u001f]+$/, 'must not contain control characters');

export const ssoRouter = router({
  rules: router({
    list: adminProcedure.query(({ ctx }) => listGroupRules(ctx.services.db)),
    add: adminProcedure
      .input(z.strictObject({ group, role: z.enum(['platform-admin', 'team-admin', 'member']), team: teamName.optional() }))
      .mutation(async ({ ctx, input }) => {
        ctx.audit.target = input.group;
        return addGroupRule(ctx.services.db, input, ctx.actor.subject);
      }),
    remove: adminProcedure.input(z.strictObject({ id: z.string().regex(/^r[a-z0-9]{12}$/, 'not a rule id (r + 12 characters)') })).mutation(async ({ ctx, input }) => {
      const rule = await removeGroupRule(ctx.services.db, input.id);
      ctx.audit.detail = { group: rule.group, role: rule.role, team: rule.team };
      return rule;
    }),
  }),
});
