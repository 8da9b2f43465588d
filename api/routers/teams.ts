/** The teams router: create, list, get, setQuota (platform admins) and members. */
import { z } from 'zod';
import { DomainError } from '../../platform/errors.ts';
import type { Actor } from '../auth/tokens.ts';
import type { Db, TeamRow } from '../db/schema.ts';
import { newId } from '../ids.ts';
import { ownTeam } from '../teams/own-team.ts';
import { teamMembers } from '../teams/team-members.ts';
import { applyQuota, assertPolicyReferencesExist, DEFAULT_TEAM_POLICY, policyColumns, quotaInput } from '../teams/team-quota.ts';
import { teamRowToTeam, toTeams } from '../teams/team-view.ts';
import { teamPolicy } from '../clusters/team-usage.ts';
import { adminProcedure, authedProcedure, router, teamProcedure } from '../trpc.ts';
import { teamField, teamName } from './inputs.ts';

/** The team `name` as `actor` may see it: platform admins any, others only their own. */
async function visibleTeam(db: Db, actor: Actor, name: string): Promise<TeamRow> {
  if (actor.role !== 'platform-admin') return ownTeam(db, actor, name);
  const team = await db.selectFrom('teams').selectAll().where('name', '=', name).executeTakeFirst();
  if (!team) throw new DomainError('NOT_FOUND', `team "${name}" does not exist`, { hint: 'list teams with `kaas teams list`' });
  return team;
}

export const teamsRouter = router({
  create: adminProcedure.input(z.strictObject({ name: teamName, quota: quotaInput.optional() })).mutation(({ ctx, input }) =>
    (async () => {
      const db = ctx.services.db;
      const policy = applyQuota(DEFAULT_TEAM_POLICY, input.quota ?? {});
      await assertPolicyReferencesExist(db, policy);
      const row = await db
        .insertInto('teams')
        .values({ id: newId('t'), name: input.name, ...policyColumns(policy) })
        .onConflict((oc) => oc.column('name').doNothing())
        .returningAll()
        .executeTakeFirst();
      if (!row) throw new DomainError('CONFLICT', `team "${input.name}" already exists`, { hint: 'pick another name, or change its quota with `kaas teams set-quota`' });
      ctx.audit.teamId = row.id;
      return teamRowToTeam(row, { clusters: 0, nodes: 0, monthlyCost: 0, unpricedClusters: 0 });
    })(),
  ),

  list: authedProcedure.input(z.strictObject({}).optional()).query(({ ctx }) =>
    (async () => {
      let query = ctx.services.db.selectFrom('teams').selectAll().orderBy('name');
      if (ctx.actor.role !== 'platform-admin') query = query.where('id', '=', ctx.actor.teamId!);
      return { items: await toTeams(ctx.services.db, await query.execute()) };
    })(),
  ),

  get: authedProcedure.input(z.strictObject({ name: teamName })).query(({ ctx, input }) =>
    (async () => {
      const row = await visibleTeam(ctx.services.db, ctx.actor, input.name);
      return (await toTeams(ctx.services.db, [row]))[0]!;
    })(),
  ),

  setQuota: adminProcedure
    .input(z.strictObject({ name: teamName, quota: quotaInput.refine((q) => Object.values(q).some((v) => v !== undefined), 'name at least one quota field to change') }))
    .mutation(({ ctx, input }) =>
      (async () => {
        const db = ctx.services.db;
        const current = await db.selectFrom('teams').selectAll().where('name', '=', input.name).executeTakeFirst();
        if (!current) throw new DomainError('NOT_FOUND', `team "${input.name}" does not exist`, { hint: 'list teams with `kaas teams list`' });
        ctx.audit.teamId = current.id;
        const policy = applyQuota(teamPolicy(current), input.quota);
        await assertPolicyReferencesExist(db, policy);
        // the row lock serialises this with quota checks of concurrent cluster creates
        const row = await db.transaction().execute(async (tx) => {
          await tx.selectFrom('teams').select('id').where('id', '=', current.id).forUpdate().execute();
          return tx.updateTable('teams').set(policyColumns(policy)).where('id', '=', current.id).returningAll().executeTakeFirstOrThrow();
        });
        return (await toTeams(db, [row]))[0]!;
      })(),
    ),

  members: teamProcedure.input(z.strictObject({ ...teamField }).optional()).query(({ ctx }) =>
    (async () => {
      const [team] = await toTeams(ctx.services.db, [ctx.team]);
      return { team: team!, members: await teamMembers(ctx.services.db, ctx.team.id) };
    })(),
  ),
});
