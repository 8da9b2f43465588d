/**
 * Platform-admin operations on the platform itself. `locks`: the Pulumi stack locks in the state
 * backend, each with the platform's verdict (stale or live, and why: stacks/engine/state-lock.ts),
 * and an audited clear for a lock the platform does not clear by itself (taken on a host it does
 * not know, e.g. a break-glass `pulumi` run). A lock whose owner is alive is refused unless
 * forced; the reason is always required and lands in the audit row with the lock and its owner.
 */
import { z } from 'zod';
import { DomainError } from '../../platform/errors.ts';
import type { Db } from '../db/schema.ts';
import { assessStackLocks, type AssessedLock } from '../worker/state-lock-owner.ts';
import { adminProcedure, router } from '../trpc.ts';
import { clusterName, teamName } from './inputs.ts';

/** A lock as the API returns it. */
function lockView(cluster: { name: string; team: string } | null, stack: string, a: AssessedLock) {
  return {
    cluster: cluster?.name ?? null,
    team: cluster?.team ?? null,
    stack,
    id: a.lock.id,
    pid: a.lock.pid,
    hostname: a.lock.hostname,
    username: a.lock.username ?? null,
    since: a.lock.timestamp ?? null,
    owner: a.owner ? a.owner.state : 'this-host',
    stale: a.stale,
    reason: a.reason,
  };
}

async function clustersByStack(db: Db, stacks: string[]): Promise<Map<string, { name: string; team: string }>> {
  if (stacks.length === 0) return new Map();
  const rows = await db.selectFrom('clusters').innerJoin('teams', 'teams.id', 'clusters.team_id').select(['clusters.stack_name', 'clusters.name', 'teams.name as team']).where('clusters.stack_name', 'in', stacks).execute();
  return new Map(rows.map((r) => [r.stack_name, { name: r.name, team: r.team }]));
}

async function clusterNamed(db: Db, name: string, team: string | undefined) {
  let q = db.selectFrom('clusters').innerJoin('teams', 'teams.id', 'clusters.team_id').select(['clusters.id', 'clusters.name', 'clusters.stack_name', 'clusters.team_id', 'teams.name as team']).where('clusters.name', '=', name).where('clusters.status', '!=', 'deleted');
  if (team) q = q.where('teams.name', '=', team);
  const rows = await q.execute();
  if (rows.length === 0) throw new DomainError('NOT_FOUND', `cluster "${name}"${team ? ` of team ${team}` : ''} does not exist`, { hint: 'list locked clusters with `kaas locks list`' });
  if (rows.length > 1) throw new DomainError('VALIDATION', `cluster name "${name}" is used by several teams (${rows.map((r) => r.team).join(', ')})`, { hint: 'pass --team TEAM', issues: [{ path: 'team', message: 'required: the name is ambiguous' }] });
  return rows[0]!;
}

export const adminRouter = router({
  locks: router({
    /** Every stack lock in the backend (or one cluster's), with the platform's verdict. */
    list: adminProcedure
      .input(z.strictObject({ cluster: clusterName.optional(), team: teamName.optional() }).default({}))
      .query(async ({ ctx, input }) => {
        const { db, engine } = ctx.services;
        const stacks = input.cluster ? [(await clusterNamed(db, input.cluster, input.team)).stack_name] : await engine.lockedStacks();
        const clusters = await clustersByStack(db, stacks);
        const items = [];
        for (const stack of stacks.sort()) {
          for (const a of await assessStackLocks(db, await engine.stackLocks(stack), stack)) items.push(lockView(clusters.get(stack) ?? null, stack, a));
        }
        return { items };
      }),
    /** Removes a cluster's stack lock(s), audited with the reason; refused for a live owner unless `force`. */
    clear: adminProcedure
      .input(
        z.strictObject({
          cluster: clusterName,
          team: teamName.optional(),
          lock: z.string().regex(/^[A-Za-z0-9-]{1,64}$/, 'must be a lock id as `kaas locks list` shows it').optional(),
          reason: z.string().trim().min(5, 'say why the lock may be removed (at least 5 characters); it is kept in the audit log').max(500),
          force: z.boolean().default(false),
        }),
      )
      .mutation(async ({ ctx, input }) => {
        const { db, engine } = ctx.services;
        const cluster = await clusterNamed(db, input.cluster, input.team);
        ctx.audit.teamId = cluster.team_id;
        ctx.audit.target = cluster.name;
        const assessed = (await assessStackLocks(db, await engine.stackLocks(cluster.stack_name), cluster.stack_name)).filter((a) => !input.lock || a.lock.id === input.lock);
        const audit = (cleared: AssessedLock[]) => ({
          reason: input.reason,
          forced: input.force,
          stack: cluster.stack_name,
          locks: cleared.map((a) => ({ id: a.lock.id, pid: a.lock.pid, hostname: a.lock.hostname, since: a.lock.timestamp ?? null, owner: a.owner?.state ?? 'this-host', ownerDetail: a.owner?.detail ?? null, verdict: a.reason })),
        });
        ctx.audit.detail = audit(assessed);
        if (assessed.length === 0) throw new DomainError('NOT_FOUND', `cluster ${cluster.name} has no stack lock${input.lock ? ` with id ${input.lock}` : ''}`, { hint: 'list locks with `kaas locks list`' });
        // alive by the records (another host) or by the kernel (this host): only with --force
        const alive = assessed.filter((a) => a.owner?.state === 'alive' || (!a.owner && !a.stale));
        if (alive.length > 0 && !input.force) {
          throw new DomainError('PRECONDITION_FAILED', `the lock of cluster ${cluster.name} has a live owner: ${alive.map((a) => `pid ${a.lock.pid} on ${a.lock.hostname}: ${a.reason}`).join('; ')}`, {
            hint: 'wait for it to finish; only if you know that owner is stuck, pass --force with --reason (removing a live lock lets two engines write the same state)',
          });
        }
        for (const a of assessed) await engine.clearStackLock(cluster.stack_name, a.lock.id);
        return { cluster: cluster.name, team: cluster.team, cleared: assessed.map((a) => lockView({ name: cluster.name, team: cluster.team }, cluster.stack_name, a)) };
      }),
  }),
});
