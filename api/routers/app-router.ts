/** The application router: one sub-router per resource. `AppRouter` is the CLI's client type. */
import { authedProcedure, router } from '../trpc.ts';
import { adminRouter } from './admin.ts';
import { auditRouter } from './audit.ts';
import { clustersRouter } from './clusters.ts';
import { fleetRouter } from './fleet.ts';
import { approvalsRouter } from './approvals.ts';
import { operationsRouter } from './operations.ts';
import { targetsRouter } from './targets.ts';
import { teamsRouter } from './teams.ts';
import { ssoRouter } from './sso.ts';
import { templatesRouter } from './templates.ts';
import { tokensRouter } from './tokens.ts';
import { versionsRouter } from './versions.ts';
import { webhooksRouter } from './webhooks.ts';

export const appRouter = router({
  /** Who the token belongs to. */
  whoami: authedProcedure.query(async ({ ctx }) => {
    const team = ctx.actor.teamId ? await ctx.services.db.selectFrom('teams').select('name').where('id', '=', ctx.actor.teamId).executeTakeFirst() : undefined;
    return { subject: ctx.actor.subject, role: ctx.actor.role, team: team?.name ?? null, groups: [...(ctx.actor.groups ?? [])] };
  }),
  clusters: clustersRouter,
  operations: operationsRouter,
  teams: teamsRouter,
  tokens: tokensRouter,
  targets: targetsRouter,
  templates: templatesRouter,
  audit: auditRouter,
  fleet: fleetRouter,
  approvals: approvalsRouter,
  versions: versionsRouter,
  admin: adminRouter,
  sso: ssoRouter,
  webhooks: webhooksRouter,
});

export type AppRouter = typeof appRouter;
