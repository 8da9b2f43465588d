/** The targets router: list and get (filtered by team), create and update (platform admins). */
import { z } from 'zod';
import { DomainError, validationError } from '../../platform/errors.ts';
import { parseTargetSettings } from '../../platform/target-settings.ts';
import type { Db } from '../db/schema.ts';
import { newId } from '../ids.ts';
import { targetLocationIssues } from '../targets/target-account.ts';
import { checkTarget, configuredCheckDeps } from '../targets/target-check.ts';
import { targetCheckSpecs } from '../targets/target-check-specs.ts';
import { existingTeamNames } from '../targets/target-teams.ts';
import { targetRowToTarget, targetVisibleTo, viewerTeamName } from '../targets/target-view.ts';
import { approvalPolicySchema } from '../../platform/approval-policy-schema.ts';
import { adminProcedure, authedProcedure, router } from '../trpc.ts';
import { dnsName, setFlags, teamName } from './inputs.ts';

const targetName = dnsName(63);
/** A DNS zone: dot-separated lowercase labels, e.g. `dev.example.com`. */
const dnsZone = z
  .string()
  .max(253)
  .regex(/^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]([a-z0-9-]{0,61}[a-z0-9])?$/, 'must be a DNS zone name such as dev.example.com');
const dnsZones = z.array(dnsZone).max(50);
const allowedTeams = z.array(teamName).max(500);
/** Cloud-specific settings: an object here, checked field by field against the target's cloud (strict). */
const settings = z.record(z.string(), z.unknown());

async function targetByName(db: Db, name: string) {
  const row = await db.selectFrom('targets').selectAll().where('name', '=', name).executeTakeFirst();
  if (!row) throw new DomainError('NOT_FOUND', `target "${name}" does not exist`, { hint: 'list targets with `kaas targets list`' });
  return row;
}

export const targetsRouter = router({
  list: authedProcedure.input(z.strictObject({ cloud: z.enum(['sim', 'aws', 'gcp', 'azure']).optional() }).optional()).query(({ ctx, input }) =>
    (async () => {
      const db = ctx.services.db;
      const team = await viewerTeamName(db, ctx.actor);
      let query = db.selectFrom('targets').selectAll().orderBy('name');
      if (input?.cloud) query = query.where('cloud', '=', input.cloud);
      const rows = (await query.execute()).filter((r) => targetVisibleTo(r, team));
      return { items: rows.map((r) => targetRowToTarget(r, { forAdmin: team === undefined })) };
    })(),
  ),

  get: authedProcedure.input(z.strictObject({ name: targetName })).query(({ ctx, input }) =>
    (async () => {
      const db = ctx.services.db;
      const team = await viewerTeamName(db, ctx.actor);
      const row = await db.selectFrom('targets').selectAll().where('name', '=', input.name).executeTakeFirst();
      // a target closed to the caller's team is reported exactly like an unknown one
      if (!row || !targetVisibleTo(row, team)) {
        throw new DomainError('NOT_FOUND', `target "${input.name}" does not exist${team ? ` or is not open to team "${team}"` : ''}`, { hint: 'list targets with `kaas targets list`' });
      }
      return targetRowToTarget(row, { forAdmin: team === undefined });
    })(),
  ),

  /**
   * Whether the worker could run clusters on the target now; each failing item names its fix. The
   * API endpoint check covers `template` (with `set`), or every current template of the target's cloud.
   */
  check: adminProcedure.input(z.strictObject({ name: targetName, template: z.string().min(1).max(80).optional(), set: setFlags })).query(({ ctx, input }) =>
    (async () => {
      const row = await targetByName(ctx.services.db, input.name);
      const specs = row.cloud === 'sim' ? [] : await targetCheckSpecs(ctx.services.db, row, { template: input.template, set: input.set });
      return checkTarget(row, configuredCheckDeps(ctx.services.config), specs);
    })(),
  ),

  create: adminProcedure
    .input(
      z.strictObject({
        name: targetName,
        cloud: z.enum(['sim', 'aws', 'gcp', 'azure']),
        region: z.string().min(1).max(63),
        account: z.string().min(1).max(128),
        dnsZones: dnsZones.default([]),
        allowedTeams: allowedTeams.optional(),
        settings: settings.optional(),
      }),
    )
    .mutation(({ ctx, input }) =>
      (async () => {
        const db = ctx.services.db;
        const issues = targetLocationIssues(input.cloud, input.account, input.region);
        if (issues.length > 0) throw validationError(issues, `give the ${input.cloud} account and region the target places clusters in`);
        const targetSettings = parseTargetSettings(input.cloud, input.settings);
        const teams = input.allowedTeams === undefined ? null : await existingTeamNames(db, input.allowedTeams);
        const row = await db
          .insertInto('targets')
          .values({ id: newId('g'), name: input.name, cloud: input.cloud, region: input.region, account: input.account, dns_zones: [...new Set(input.dnsZones)].sort(), allowed_teams: teams, settings: JSON.stringify(targetSettings) })
          .onConflict((oc) => oc.column('name').doNothing())
          .returningAll()
          .executeTakeFirst();
        if (!row) throw new DomainError('CONFLICT', `target "${input.name}" already exists`, { hint: 'pick another name, or change it with `kaas targets update`' });
        return targetRowToTarget(row, { forAdmin: true });
      })(),
    ),

  update: adminProcedure
    .input(
      z
        .strictObject({ name: targetName, dnsZones: dnsZones.optional(), allowedTeams: allowedTeams.nullable().optional(), settings: settings.optional(), approvalPolicy: approvalPolicySchema.nullable().optional() })
        .refine((i) => i.dnsZones !== undefined || i.allowedTeams !== undefined || i.settings !== undefined || i.approvalPolicy !== undefined, 'name at least one change: dnsZones, allowedTeams (null opens the target to every team), settings or approvalPolicy (null: the default policy)'),
    )
    .mutation(({ ctx, input }) =>
      (async () => {
        const db = ctx.services.db;
        const current = await targetByName(db, input.name);
        const teams = input.allowedTeams === undefined ? current.allowed_teams : input.allowedTeams === null ? null : await existingTeamNames(db, input.allowedTeams);
        const zones = input.dnsZones === undefined ? current.dns_zones : [...new Set(input.dnsZones)].sort();
        // settings are replaced as a whole and must be complete for the target's cloud
        const nextSettings = input.settings === undefined ? current.settings : parseTargetSettings(current.cloud, input.settings);
        const policy = input.approvalPolicy === undefined ? current.approval_policy : input.approvalPolicy;
        const row = await db.updateTable('targets').set({ dns_zones: zones, allowed_teams: teams, settings: JSON.stringify(nextSettings), approval_policy: policy === null ? null : JSON.stringify(policy) }).where('id', '=', current.id).returningAll().executeTakeFirstOrThrow();
        return targetRowToTarget(row, { forAdmin: true });
      })(),
    ),
});
