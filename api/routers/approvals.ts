/** The approvals router: list, get, approve and reject approval requests (api/approvals/*). */
import { z } from 'zod';
import { findApproval, listApprovals, toApprovals } from '../approvals/approval-queries.ts';
import { decideApproval } from '../approvals/decide-approval.ts';
import { expireDueRequests } from '../approvals/expire-requests.ts';
import { authedProcedure, router } from '../trpc.ts';
import { DomainError } from '../../platform/errors.ts';
import type { DbOrTx } from '../db/schema.ts';
import { ownTeam } from '../teams/own-team.ts';
import { pageLimit, teamName } from './inputs.ts';

async function teamIdByName(db: DbOrTx, name: string): Promise<string> {
  const team = await db.selectFrom('teams').select('id').where('name', '=', name).executeTakeFirst();
  if (!team) throw new DomainError('NOT_FOUND', `team "${name}" does not exist`, { hint: 'list teams with `kaas teams list`' });
  return team.id;
}

const approvalId = z.string().regex(/^a[a-z0-9]{12}$/, 'not an approval request id (a + 12 characters)');

export const approvalsRouter = router({
  list: authedProcedure
    .input(z.strictObject({ team: teamName.optional(), status: z.enum(['pending', 'approved', 'rejected', 'expired', 'superseded']).optional(), limit: pageLimit }).default({ limit: 50 }))
    .query(({ ctx, input }) =>
      (async () => {
        // a team filter names the caller's own team (NOT_FOUND for another's), or any team for a platform admin
        const teamId = input.team === undefined ? undefined : ctx.actor.role === 'platform-admin' ? await teamIdByName(ctx.services.db, input.team) : (await ownTeam(ctx.services.db, ctx.actor, input.team)).id;
        return { items: await listApprovals(ctx.services.db, ctx.actor, { status: input.status, limit: input.limit, teamId }) };
      })(),
    ),

  get: authedProcedure.input(z.strictObject({ id: approvalId })).query(({ ctx, input }) =>
    (async () => {
      await expireDueRequests(ctx.services.db);
      return { approval: (await toApprovals(ctx.services.db, [await findApproval(ctx.services.db, ctx.actor, input.id)]))[0]! };
    })(),
  ),

  approve: authedProcedure.input(z.strictObject({ id: approvalId, reason: z.string().min(1).max(500).optional() })).mutation(({ ctx, input }) =>
    (async () => {
      ctx.audit.target = input.id;
      const row = await decideApproval(ctx.services, ctx.actor, input.id, 'approve', input.reason, ctx.requestId, ctx.audit);
      return { approval: (await toApprovals(ctx.services.db, [row]))[0]! };
    })(),
  ),

  reject: authedProcedure.input(z.strictObject({ id: approvalId, reason: z.string().min(1).max(500) })).mutation(({ ctx, input }) =>
    (async () => {
      ctx.audit.target = input.id;
      const row = await decideApproval(ctx.services, ctx.actor, input.id, 'reject', input.reason, ctx.requestId, ctx.audit);
      return { approval: (await toApprovals(ctx.services.db, [row]))[0]! };
    })(),
  ),
});
