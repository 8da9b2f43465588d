/**
 * Starting an operation on a cluster: in one transaction, check the lifecycle allows it, insert the
 * operation row and enqueue its job. The database's one-active-operation index is the final word:
 * a concurrent second request fails on it and gets a CONFLICT naming the running operation.
 */
import { assertCanStart, type ClusterState, type ClusterStatus, type OperationKind } from '../../platform/cluster-lifecycle.ts';
import { hibernatedClusterRefusal } from '../../platform/cloud-hibernation.ts';
import type { Cloud } from '../../platform/cluster-spec.ts';
import { DomainError } from '../../platform/errors.ts';
import type { JobPlacement } from '../../platform/work-capacity.ts';
import type { Actor } from '../auth/tokens.ts';
import type { Services } from '../context.ts';
import type { ClusterRow, OperationRow, Tx } from '../db/schema.ts';
import { publishOperationEvent } from '../events/operation-event.ts';
import { newId } from '../ids.ts';

/** The columns of a cluster that starting an operation reads (so a caller may select only these). */
export type OperationTarget = Pick<ClusterRow, 'id' | 'team_id' | 'name' | 'status' | 'deleted_at' | 'failed_operation' | 'status_reason'>;

/** Operation kinds: the lifecycle's, plus `preview` (plan), which never changes the status. */
export type AnyOperationKind = OperationKind | 'preview';

export async function activeOperationError(tx: Tx, cluster: OperationTarget): Promise<DomainError> {
  const active = await tx.selectFrom('operations').select(['id', 'kind', 'status']).where('cluster_id', '=', cluster.id).where('status', 'in', ['queued', 'running']).executeTakeFirst();
  return new DomainError('CONFLICT', `cluster "${cluster.name}" already has an operation in progress${active ? ` (${active.kind} ${active.id}, ${active.status})` : ''}`, {
    hint: `wait for it: \`kaas clusters events ${cluster.name} --follow\``,
  });
}

/** The lifecycle state of a cluster row: its status and, when failed, what failed. */
export function clusterStateOf(row: OperationTarget): ClusterState {
  const status = row.status as ClusterStatus;
  return status === 'failed' && row.failed_operation ? { status, failure: { operation: row.failed_operation as OperationKind, reason: row.status_reason ?? '' } } : { status };
}

/** Checks that `kind` may start on the cluster now (lifecycle, deleted, preview rules). */
export function assertOperationAllowed(cluster: OperationTarget, kind: AnyOperationKind): void {
  if (cluster.deleted_at !== null) throw new DomainError('NOT_FOUND', `cluster "${cluster.name}" was deleted`);
  const status = cluster.status as ClusterStatus;
  if (kind === 'preview') {
    if (status === 'deleting' || status === 'deleted') throw new DomainError('PRECONDITION_FAILED', `cluster "${cluster.name}" is ${status}; there is nothing to plan`);
    return;
  }
  assertCanStart(clusterStateOf(cluster), kind);
}

/** Where the queue places an operation's job: its team, whether it is a scheduled check, and its team's line ahead of it. */
async function jobPlacement(tx: Tx, cluster: OperationTarget, operationId: string, input: Record<string, unknown>): Promise<JobPlacement> {
  const background = input['scheduled'] === true;
  if (background) return { teamId: cluster.team_id, background, teamQueuedAhead: 0 };
  // reads the one-active-operation index (queued and running operations only)
  const { n } = await tx
    .selectFrom('operations as o')
    .innerJoin('clusters as c', 'c.id', 'o.cluster_id')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('o.status', '=', 'queued')
    .where('c.team_id', '=', cluster.team_id)
    .where('o.id', '<>', operationId)
    .executeTakeFirstOrThrow();
  return { teamId: cluster.team_id, background, teamQueuedAhead: Number(n) };
}

/** Inserts the operation row and enqueues its job, inside `tx`. */
export async function insertOperation(
  services: Services,
  tx: Tx,
  cluster: OperationTarget,
  kind: AnyOperationKind,
  actor: Actor,
  requestId: string,
  input: Record<string, unknown>,
): Promise<OperationRow> {
  // a hibernated cluster accepts its wake, its delete and (unless its AKS control plane is stopped) checks and plans only
  const power = await tx.selectFrom('clusters as c').innerJoin('targets as t', 't.id', 'c.target_id').select(['t.cloud', 'c.hibernated_sizes']).where('c.id', '=', cluster.id).executeTakeFirst();
  const refusal = power ? hibernatedClusterRefusal(power.cloud as Cloud, { name: cluster.name, hibernated: power.hibernated_sizes !== null }, kind, input) : undefined;
  if (refusal) throw refusal;
  const id = newId('o');
  // the state it starts from, so the worker's transition (platform/cluster-lifecycle.ts) never guesses it
  const from = clusterStateOf(cluster);
  // on conflict (the one-active-operation index) nothing is inserted and the transaction stays usable
  const row = await tx
    .insertInto('operations')
    .values({ id, cluster_id: cluster.id, kind, status: 'queued', actor: actor.subject, request_id: requestId, input: JSON.stringify(input), from_status: from.status, from_failure: from.failure ? JSON.stringify(from.failure) : null })
    .onConflict((oc) => oc.doNothing())
    .returningAll()
    .executeTakeFirst();
  if (!row) throw await activeOperationError(tx, cluster);
  await publishOperationEvent(tx, 'queued', { operation: { id, kind, actor: actor.subject }, cluster });
  await services.queue.enqueue(tx, { operationId: id }, await jobPlacement(tx, cluster, id, input));
  return row;
}

/** Locks the cluster, checks the lifecycle, and starts `kind` on it. */
export async function startOperation(
  services: Services,
  cluster: ClusterRow,
  kind: AnyOperationKind,
  actor: Actor,
  requestId: string,
  input: Record<string, unknown>,
  beforeInsert?: (tx: Tx, locked: ClusterRow) => Promise<void>,
): Promise<OperationRow> {
  return services.db.transaction().execute(async (tx) => {
    const locked = await tx.selectFrom('clusters').selectAll().where('id', '=', cluster.id).forUpdate().executeTakeFirstOrThrow();
    const active = await tx.selectFrom('operations').select('id').where('cluster_id', '=', locked.id).where('status', 'in', ['queued', 'running']).executeTakeFirst();
    if (active) throw await activeOperationError(tx, locked);
    assertOperationAllowed(locked, kind);
    await beforeInsert?.(tx, locked);
    return insertOperation(services, tx, locked, kind, actor, requestId, input);
  });
}
