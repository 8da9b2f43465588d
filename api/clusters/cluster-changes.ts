/**
 * `clusters.changes`: a change of any cluster the caller can see (its status, or its operation's),
 * live over SSE. A member or team admin sees their own team only (naming another is refused); a
 * platform admin sees every team, or the one named. The team filter is applied both to the
 * notifications and to the rows read, so another team's change is never sent.
 */
import { DomainError } from '../../platform/errors.ts';
import type { Actor } from '../auth/tokens.ts';
import type { Context } from '../context.ts';
import type { Change } from '../events/change-feed.ts';
import { liveStream } from '../events/live-stream.ts';
import { ownTeam } from '../teams/own-team.ts';
import { LAST_OPERATION_COLUMNS, lastOperationOf, lastOperationOfCluster, type LastOperation } from './cluster-list.ts';

/** One streamed cluster change. */
export interface ClusterChange {
  clusterId: string;
  name: string;
  team: string;
  status: string;
  /** Set when the change is one of the cluster's operations (started, or its status or step moved). */
  operationId?: string;
  /** The cluster's last operation now, as `clusters.list` shows it (null: none yet). */
  lastOperation: LastOperation | null;
}

/** The team id the caller's stream is limited to; undefined: every team (platform admins). */
async function streamTeam(ctx: Context & { actor: Actor }, named: string | undefined): Promise<string | undefined> {
  const db = ctx.services.db;
  if (ctx.actor.role !== 'platform-admin') return (await ownTeam(db, ctx.actor, named)).id;
  if (named === undefined) return undefined;
  const team = await db.selectFrom('teams').select('id').where('name', '=', named).executeTakeFirst();
  if (!team) throw new DomainError('NOT_FOUND', `team "${named}" does not exist`, { hint: 'list teams with `kaas teams list`' });
  return team.id;
}

/** `clusters.changes`: resolves (and authorizes) the team scope first; over SSE a refusal is the stream's one `serialized-error` event. */
export async function openClusterChangeStream(ctx: Context & { actor: Actor }, input: { team?: string | undefined }, signal: AbortSignal | undefined): Promise<AsyncGenerator<ClusterChange, void>> {
  return clusterChangeStream(ctx, await streamTeam(ctx, input.team), signal);
}

async function* clusterChangeStream(ctx: Context & { actor: Actor }, teamId: string | undefined, signal: AbortSignal | undefined) {
  const concerns = (c: Change): c is Extract<Change, { t: 'cluster' }> | (Extract<Change, { t: 'op' }> & { cluster: string }) =>
    (c.t === 'cluster' || (c.t === 'op' && typeof c.cluster === 'string')) && (teamId === undefined || c.team === teamId);
  yield* liveStream(ctx, signal, concerns, async (wake) => {
    const changes = (wake?.changes ?? []).filter(concerns);
    if (changes.length === 0) return { items: [], done: false };
    const ids = [...new Set(changes.map((c) => (c.t === 'op' ? c.cluster : c.id)))];
    let query = ctx.services.db
      .selectFrom('clusters')
      .innerJoin('teams', 'teams.id', 'clusters.team_id')
      .leftJoinLateral(lastOperationOfCluster, (join) => join.onTrue())
      .select(['clusters.id', 'clusters.name', 'clusters.status', 'teams.name as team'])
      .select(LAST_OPERATION_COLUMNS)
      .where('clusters.id', 'in', ids);
    if (teamId !== undefined) query = query.where('clusters.team_id', '=', teamId);
    const rows = new Map((await query.execute()).map((r) => [r.id, r]));
    const items: ClusterChange[] = [];
    for (const c of changes) {
      const row = rows.get(c.t === 'op' ? c.cluster : c.id);
      if (!row) continue;
      items.push({ clusterId: row.id, name: row.name, team: row.team, status: row.status, ...(c.t === 'op' ? { operationId: c.id } : {}), lastOperation: lastOperationOf(row) });
    }
    return { items, done: false };
  });
}
