/** The clusters router: create, createPreview, list, get, plan, update, upgrade, rollback, delete, events, operations, kubeconfig. */
import { z } from 'zod';
import { hibernatedClusterRefusal } from '../../platform/cloud-hibernation.ts';
import { DomainError } from '../../platform/errors.ts';
import { totalDesiredNodes, type ClusterSpec } from '../../platform/cluster-spec.ts';
import { costChangeView, costView } from '../pricing/cost-view.ts';
import { estimateSpec } from '../pricing/price-book.ts';
import { writeAudit } from '../audit.ts';
import { createCluster, targetRef } from '../clusters/create-cluster.ts';
import { previewCreate } from '../clusters/create-preview.ts';
import { desiredSpec } from '../clusters/desired-spec.ts';
import { findCluster, findOperation, recentOperations, toCluster } from '../clusters/cluster-queries.ts';
import { clusterListQuery, lastOperationOf } from '../clusters/cluster-list.ts';
import { clusterRowToCluster, operationRowToOperation } from '../clusters/cluster-view.ts';
import { decodeCursor, encodeCursor } from '../pagination.ts';
import { assertOperationAllowed, startOperation } from '../clusters/start-operation.ts';
import { approvalRuleFor, isProtectedCluster } from '../../platform/approval-policy.ts';
import { deletePlan } from '../approvals/approval-actions.ts';
import { policyOfCluster } from '../approvals/approval-policy-of.ts';
import { toApprovals } from '../approvals/approval-queries.ts';
import { openApprovalRequest } from '../approvals/open-request.ts';
import { upgradeCluster } from '../clusters/upgrade-cluster.ts';
import { rollbackCluster } from '../clusters/rollback-cluster.ts';
import { startClusterDelete } from '../clusters/delete-cluster.ts';
import { lockTeamAndCheckQuota, updateQuotaVerdict } from '../clusters/team-usage.ts';
import { readEvents } from '../operations/operation-events.ts';
import { openClusterChangeStream } from '../clusters/cluster-changes.ts';
import { assertWorkerReachesEndpoint } from '../targets/endpoint-access.ts';
import { clusterProgramTarget } from '../targets/target-program.ts';
import { authedProcedure, router, teamProcedure } from '../trpc.ts';
import { clusterName, cursor, labelMap, pageLimit, setFlags, teamField, teamName } from './inputs.ts';
import { clusterSearch, clusterStatus } from './inputs.ts';
import { visibleTeamId } from '../teams/visible-team.ts';
import { ownTeam } from '../teams/own-team.ts';
import { extendCluster, hibernateCluster, wakeCluster } from '../clusters/cluster-lifetime.ts';
import { hibernationSchema } from '../../platform/hibernation-schedule.ts';
import type { Cloud } from '../../platform/cluster-spec.ts';

const byName = z.strictObject({ ...teamField, name: clusterName });

const createInput = z.strictObject({ ...teamField, name: clusterName, template: z.string().min(1).max(80), target: z.string().min(1).max(63).optional(), set: setFlags, labels: labelMap, ttl: z.string().max(20).optional() });

/** `hibernate` and `wake`: the named cluster on its target's cloud, through `change` (api/clusters/cluster-lifetime.ts). */
function poolPowerProcedure(change: typeof hibernateCluster) {
  return teamProcedure.input(byName).mutation(async ({ ctx, input }) => {
    const row = await findCluster(ctx.services.db, ctx.team, input.name);
    const target = await ctx.services.db.selectFrom('targets').select('cloud').where('id', '=', row.target_id).executeTakeFirstOrThrow();
    const r = await change(ctx.services, ctx.actor, row, target.cloud as Cloud, ctx.requestId);
    return { operation: operationRowToOperation(r.operation), sizes: r.sizes, cloudNote: r.cloudNote };
  });
}

export const clustersRouter = router({
  create: teamProcedure
    .input(createInput)
    .mutation(({ ctx, input }) =>
      (async () => {
        ctx.audit.target = input.name;
        const { cluster, operation } = await createCluster(ctx.services, ctx.actor, ctx.team, input, ctx.requestId);
        return { cluster: await toCluster(ctx.services.db, cluster), operation: operationRowToOperation(operation), cost: costView(estimateSpec(cluster.spec as ClusterSpec)) };
      })(),
    ),

  /** The plan of a create (spec, quota verdict, name check, resources to build); starts and stores nothing. */
  createPreview: teamProcedure.input(createInput).query(({ ctx, input }) => previewCreate(ctx.services, ctx.team, input)),

  list: authedProcedure
    .input(
      z
        .strictObject({ team: teamName.optional(), allTeams: z.boolean().default(false), status: clusterStatus.optional(), target: z.string().max(63).optional(), template: z.string().max(80).optional(), search: clusterSearch.optional(), includeDeleted: z.boolean().default(false), cursor, limit: pageLimit })
        .default({ allTeams: false, includeDeleted: false, limit: 50 }),
    )
    .query(({ ctx, input }) =>
      (async () => {
        const db = ctx.services.db;
        // allTeams (`kaas clusters list -A`) says "every team" out loud: refused, not narrowed, for a team token
        if (input.allTeams && input.team !== undefined) throw new DomainError('VALIDATION', 'give either allTeams (-A) or team (--team), not both', { issues: [{ path: 'allTeams', message: 'cannot be combined with team' }] });
        if (input.allTeams && ctx.actor.role !== 'platform-admin') throw new DomainError('FORBIDDEN', 'listing clusters of all teams is for platform admins', { hint: 'drop -A: `kaas clusters list` lists your own team\'s clusters' });
        const teamId = await visibleTeamId(db, ctx.actor, input.team);
        // one query: clusters with their team and target names joined in
        const rows = await clusterListQuery(db, { teamId, includeDeleted: input.includeDeleted, status: input.status, template: input.template, search: input.search, target: input.target, after: input.cursor ? decodeCursor(input.cursor) : undefined, limit: input.limit }).execute();
        const page = rows.slice(0, input.limit);
        const last = page[page.length - 1];
        return { items: page.map((r) => ({ ...clusterRowToCluster(r, { team: r.team_name, target: r.target_name, cloud: r.target_cloud }), lastOperation: lastOperationOf(r) })), nextCursor: rows.length > input.limit && last ? encodeCursor(last) : null };
      })(),
    ),

  get: teamProcedure.input(byName.extend({ includeDeleted: z.boolean().default(false) })).query(({ ctx, input }) =>
    (async () => {
      const row = await findCluster(ctx.services.db, ctx.team, input.name, { includeDeleted: input.includeDeleted });
      return { cluster: await toCluster(ctx.services.db, row), operations: await recentOperations(ctx.services.db, row.id, 10) };
    })(),
  ),

  plan: teamProcedure.input(byName.extend({ set: setFlags })).mutation(({ ctx, input }) =>
    (async () => {
      const row = await findCluster(ctx.services.db, ctx.team, input.name);
      const { spec, overrides, changes } = await desiredSpec(ctx.services.db, row, input.set);
      const op = await startOperation(ctx.services, row, 'preview', ctx.actor, ctx.requestId, { spec, overrides });
      const quota = await updateQuotaVerdict(ctx.services.db, row, spec);
      return { operation: operationRowToOperation(op), specChanges: changes, cost: costChangeView(estimateSpec(row.spec as ClusterSpec), estimateSpec(spec)), quota };
    })(),
  ),

  update: teamProcedure.input(byName.extend({ set: setFlags.refine((s) => s.length > 0, 'name at least one change with --set path=value') })).mutation(({ ctx, input }) =>
    (async () => {
      const row = await findCluster(ctx.services.db, ctx.team, input.name);
      const targetRow = await ctx.services.db.selectFrom('targets').selectAll().where('id', '=', row.target_id).executeTakeFirstOrThrow();
      // before any re-resolution: an update would wake the pools without clearing the recorded sizes
      const hibernated = hibernatedClusterRefusal(targetRow.cloud, { name: row.name, hibernated: row.hibernated_sizes !== null }, 'update', {});
      if (hibernated) throw hibernated;
      const { spec, overrides } = await desiredSpec(ctx.services.db, row, input.set);
      assertWorkerReachesEndpoint(ctx.services.config, targetRow, spec);
      let before = row.spec as ClusterSpec;
      const op = await startOperation(ctx.services, row, 'update', ctx.actor, ctx.requestId, { spec, overrides }, async (tx, locked) => {
        const target = await tx.selectFrom('targets').select('name').where('id', '=', locked.target_id).executeTakeFirstOrThrow();
        before = locked.spec as ClusterSpec;
        await lockTeamAndCheckQuota(tx, locked.team_id, { nodes: totalDesiredNodes(spec), target: target.name, ...(locked.template ? { template: locked.template } : {}), newCluster: false, spec, currentSpec: before }, locked.id);
      });
      return { operation: operationRowToOperation(op), cost: costChangeView(estimateSpec(before), estimateSpec(spec)) };
    })(),
  ),

  /**
   * Upgrades Kubernetes one minor at a time as recorded steps. `planOnly` returns the plan and
   * starts nothing; `resume` (or the same `to` again) continues a failed upgrade at its failed step.
   */
  upgrade: teamProcedure
    .input(
      byName
        .extend({ to: z.string().regex(/^\d{1,3}\.\d{1,3}$/, 'must be a Kubernetes minor version MAJOR.MINOR like 1.33').optional(), planOnly: z.boolean().default(false), resume: z.boolean().default(false), force: z.boolean().default(false) })
        .refine((i) => i.to !== undefined || i.resume || i.force, { message: 'name the version with `to`, resume a failed upgrade with `resume`, or approve a blocked one with `force`', path: ['to'] }),
    )
    .mutation(({ ctx, input }) =>
      (async () => {
        const row = await findCluster(ctx.services.db, ctx.team, input.name);
        const { plan, startAt, operation, checks, approval } = await upgradeCluster(ctx.services, row, ctx.actor, ctx.requestId, { to: input.to, planOnly: input.planOnly, resume: input.resume, force: input.force });
        return { plan, startAt, operation: operation ? operationRowToOperation(operation) : null, checks, approval: approval ? (await toApprovals(ctx.services.db, [approval]))[0]! : null };
      })(),
    ),

  /**
   * Returns the cluster's blue-green node pools to their previous generation within the rollback
   * window (`planOnly`: what it would do). Control planes are never rolled back.
   */
  rollback: teamProcedure.input(byName.extend({ planOnly: z.boolean().default(false) })).mutation(({ ctx, input }) =>
    (async () => {
      const row = await findCluster(ctx.services.db, ctx.team, input.name);
      const { plan, operation, notes } = await rollbackCluster(ctx.services, row, ctx.actor, ctx.requestId, { planOnly: input.planOnly });
      return { plan, notes, operation: operation ? operationRowToOperation(operation) : null };
    })(),
  ),

  delete: teamProcedure.input(byName.extend({ confirm: z.string().max(100) })).mutation(({ ctx, input }) =>
    (async () => {
      const row = await findCluster(ctx.services.db, ctx.team, input.name);
      if (input.confirm !== row.name) {
        // the same mistake as a wrong name typed at the CLI's prompt: bad input (exit 2), not a precondition
        throw new DomainError('VALIDATION', `deletion not confirmed: --confirm must repeat the cluster name "${row.name}"`, { hint: `kaas clusters delete ${row.name} --confirm ${row.name}`, issues: [{ path: 'confirm', message: `must be "${row.name}"` }] });
      }
      const started = await startClusterDelete(ctx.services, row, ctx.actor, ctx.requestId);
      if (started.approval) return { operation: null, approval: (await toApprovals(ctx.services.db, [started.approval]))[0]! };
      return { operation: operationRowToOperation(started.operation), approval: null };
    })(),
  ),

  /** Extends the cluster's time-to-live by a duration or until a time, within its template's max. */
  extend: teamProcedure
    .input(byName.extend({ by: z.string().max(20).optional(), until: z.iso.datetime({ offset: true }).optional() }).refine((i) => (i.by === undefined) !== (i.until === undefined), { message: 'give exactly one of by (e.g. 2d) or until (an ISO time)', path: ['by'] }))
    .mutation(({ ctx, input }) =>
      (async () => {
        const row = await findCluster(ctx.services.db, ctx.team, input.name);
        const { expiresAt, previous } = await extendCluster(ctx.services, ctx.actor, row, input.by !== undefined ? { by: input.by } : { until: new Date(input.until!) }, ctx.requestId);
        ctx.audit.detail = { from: previous?.toISOString() ?? null, to: expiresAt.toISOString() };
        return { expiresAt: expiresAt.toISOString(), previous: previous?.toISOString() ?? null };
      })(),
    ),

  /** Scales every node pool to 0 through an update, recording the sizes `wake` restores. */
  hibernate: poolPowerProcedure(hibernateCluster),

  /** Restores the node-pool sizes recorded when the cluster was hibernated. */
  wake: poolPowerProcedure(wakeCluster),

  /** Sets (or with null clears, back to the template's) the cluster's own hibernation schedule. */
  setHibernation: teamProcedure.input(byName.extend({ hibernate: hibernationSchema.nullable() })).mutation(({ ctx, input }) =>
    (async () => {
      const row = await findCluster(ctx.services.db, ctx.team, input.name);
      await ctx.services.db.updateTable('clusters').set({ hibernation: input.hibernate === null ? null : JSON.stringify(input.hibernate), hibernation_last_wanted: null }).where('id', '=', row.id).execute();
      return { hibernation: input.hibernate };
    })(),
  ),

  drift: teamProcedure.input(byName).mutation(({ ctx, input }) =>
    (async () => {
      const row = await findCluster(ctx.services.db, ctx.team, input.name);
      return { operation: operationRowToOperation(await startOperation(ctx.services, row, 'refresh', ctx.actor, ctx.requestId, {})) };
    })(),
  ),

  /** Destructive changes wait for an approval request (api/worker/handlers/reconcile.ts); there is no self-approval flag. */
  reconcile: teamProcedure.input(byName).mutation(({ ctx, input }) =>
    (async () => {
      const row = await findCluster(ctx.services.db, ctx.team, input.name);
      return { operation: operationRowToOperation(await startOperation(ctx.services, row, 'reconcile', ctx.actor, ctx.requestId, {})) };
    })(),
  ),

  /** Runs the failed operation again with the same input. */
  retry: teamProcedure.input(byName).mutation(({ ctx, input }) =>
    (async () => {
      const db = ctx.services.db;
      const row = await findCluster(db, ctx.team, input.name);
      if (row.status !== 'failed' || !row.failed_operation) throw new DomainError('PRECONDITION_FAILED', `cluster "${row.name}" is ${row.status}; only a failed cluster can be retried`, { hint: row.status === 'ready' ? `nothing to retry: change it with \`kaas clusters update ${row.name} --set …\`, or check it with \`kaas clusters drift ${row.name}\`` : `see its state with \`kaas clusters get ${row.name}\`` });
      const last = await db.selectFrom('operations').selectAll().where('cluster_id', '=', row.id).where('kind', '=', row.failed_operation).where('status', '=', 'failed').orderBy('created_at', 'desc').limit(1).executeTakeFirstOrThrow();
      return { operation: operationRowToOperation(await startOperation(ctx.services, row, row.failed_operation as 'create', ctx.actor, ctx.requestId, last.input)) };
    })(),
  ),

  operations: teamProcedure.input(byName.extend({ includeDeleted: z.boolean().default(true), limit: pageLimit })).query(({ ctx, input }) =>
    (async () => {
      const row = await findCluster(ctx.services.db, ctx.team, input.name, { includeDeleted: input.includeDeleted });
      return { items: await recentOperations(ctx.services.db, row.id, input.limit) };
    })(),
  ),

  events: teamProcedure
    .input(byName.extend({ operationId: z.string().regex(/^o[a-z0-9]{12}$/, 'not an operation id').optional(), after: z.number().int().min(0).max(2_147_483_647).default(0), limit: z.number().int().min(1).max(1000).default(200), includeDeleted: z.boolean().default(true) }))
    .query(({ ctx, input }) =>
      (async () => {
        const db = ctx.services.db;
        const row = await findCluster(db, ctx.team, input.name, { includeDeleted: input.includeDeleted });
        const op = input.operationId
          ? await findOperation(db, row, input.operationId)
          : await db.selectFrom('operations').selectAll().where('cluster_id', '=', row.id).orderBy('created_at', 'desc').orderBy('id', 'desc').limit(1).executeTakeFirst();
        if (!op) throw new DomainError('NOT_FOUND', `cluster "${row.name}" has no operations yet`, { hint: `start one, e.g. \`kaas clusters drift ${row.name}\`` });
        const events = await readEvents(db, op.id, input.after, input.limit);
        return { operation: operationRowToOperation(op), events, nextAfter: events.length ? events[events.length - 1]!.seq : input.after };
      })(),
    ),

  /** Live: a change of any cluster the caller can see (SSE subscription). */
  changes: authedProcedure.input(z.strictObject({ team: teamName.optional() }).default({})).subscription(({ ctx, input, signal }) => openClusterChangeStream(ctx, input, signal)),

  kubeconfig: teamProcedure.input(byName).query(({ ctx, input }) =>
    (async () => {
      const row = await findCluster(ctx.services.db, ctx.team, input.name);
      if (row.status !== 'ready' && row.status !== 'updating' && row.status !== 'upgrading') {
        throw new DomainError('PRECONDITION_FAILED', `cluster "${row.name}" is ${row.status}; a kubeconfig exists once it is ready`);
      }
      const target = await ctx.services.db.selectFrom('targets').selectAll().where('id', '=', row.target_id).executeTakeFirstOrThrow();
      const outputs = await ctx.services.engine.outputs(clusterProgramTarget(ctx.services.config, row, target));
      const kubeconfig = outputs.kubeconfig?.value;
      if (typeof kubeconfig !== 'string') throw new DomainError('NOT_FOUND', `cluster "${row.name}" has no kubeconfig output`);
      await writeAudit(ctx.services.db, { actor: ctx.actor.subject, teamId: row.team_id, action: 'clusters.kubeconfig', target: row.name, result: 'ok', requestId: ctx.requestId, detail: null });
      return { kubeconfig, simulated: target.cloud === 'sim' };
    })(),
  ),
});
