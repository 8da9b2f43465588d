/**
 * The cluster lifecycle state machine. A cluster's status is derived from its operations:
 * `requested → provisioning → ready ⇄ updating/upgrading/drift_checking → deleting → deleted`,
 * and `failed` (which keeps the failed operation and reason) from which operations are retried.
 * One operation runs at a time: while one runs, every start is refused with CONFLICT.
 */
import { DomainError } from './errors.ts';

/** Every status a cluster can be in. */
export const CLUSTER_STATUSES = ['requested', 'provisioning', 'ready', 'updating', 'upgrading', 'drift_checking', 'deleting', 'deleted', 'failed'] as const;
export type ClusterStatus = (typeof CLUSTER_STATUSES)[number];

/** The kinds of operation that act on a cluster. */
export const OPERATION_KINDS = ['create', 'update', 'upgrade', 'rollback', 'refresh', 'reconcile', 'delete'] as const;
export type OperationKind = (typeof OPERATION_KINDS)[number];

/**
 * How an operation ended. `needs_approval`: it stopped before changing anything because what it
 * would do needs an explicit approval (a reconcile that would delete or replace resources).
 */
export const OPERATION_OUTCOMES = ['succeeded', 'needs_approval', 'failed', 'cancelled'] as const;
export type OperationOutcome = (typeof OPERATION_OUTCOMES)[number];

/** Why a cluster is `failed`: the operation that failed and its reason. */
export interface ClusterFailure {
  operation: OperationKind;
  reason: string;
}

/** A status plus, when `failed`, what failed; `note` is a remark for the status line of a non-failed state. */
export interface ClusterState {
  status: ClusterStatus;
  failure?: ClusterFailure;
  note?: string;
}

/** The status a cluster shows while an operation of `kind` runs. */
const RUNNING: Record<OperationKind, ClusterStatus> = {
  create: 'provisioning',
  update: 'updating',
  upgrade: 'upgrading',
  // returning node pools to their previous blue-green generation (platform/blue-green-plan.ts)
  rollback: 'updating',
  refresh: 'drift_checking',
  reconcile: 'updating',
  delete: 'deleting',
};

const ALL_BUT_CREATE: readonly OperationKind[] = ['update', 'upgrade', 'rollback', 'refresh', 'reconcile', 'delete'];

/** Which operations may start from each idle status (running statuses allow none). */
const STARTABLE: Record<ClusterStatus, readonly OperationKind[]> = {
  requested: ['create', 'delete'],
  provisioning: [],
  ready: ALL_BUT_CREATE,
  updating: [],
  upgrading: [],
  drift_checking: [],
  deleting: [],
  deleted: [],
  failed: ['create', ...ALL_BUT_CREATE], // narrowed by the failed operation, see FAILED_STARTABLE
};

/** After a failure, which operations may start, by the operation that failed. */
const FAILED_STARTABLE: Record<OperationKind, readonly OperationKind[]> = {
  create: ['create', 'delete'], // nothing usable exists yet: retry or give up
  update: ALL_BUT_CREATE,
  upgrade: ALL_BUT_CREATE,
  rollback: ALL_BUT_CREATE,
  refresh: ALL_BUT_CREATE,
  reconcile: ALL_BUT_CREATE,
  delete: ['delete', 'refresh'], // half torn down: finish the teardown or inspect it
};

/** The status shown while an operation of `kind` runs. */
export function statusWhileRunning(kind: OperationKind): ClusterStatus {
  return RUNNING[kind];
}

/** Whether a status means an operation is running. */
export function isBusy(status: ClusterStatus): boolean {
  return Object.values(RUNNING).includes(status);
}

function toState(state: ClusterStatus | ClusterState): ClusterState {
  return typeof state === 'string' ? { status: state } : state;
}

/** Why an operation of `kind` may not start from `state`, or undefined when it may. */
export function startError(state: ClusterStatus | ClusterState, kind: OperationKind): DomainError | undefined {
  const { status, failure } = toState(state);
  const allowed = status === 'failed' && failure ? FAILED_STARTABLE[failure.operation] : STARTABLE[status];
  if (allowed.includes(kind)) return undefined;
  if (status === 'deleting') {
    return new DomainError('CONFLICT', `cannot ${kind}: cluster is deleting; wait for it to finish`);
  }
  if (isBusy(status)) {
    return new DomainError('CONFLICT', `cannot ${kind}: cluster is ${status.replace('_', ' ')}; one operation runs at a time`, {
      hint: 'wait for the running operation to finish, then retry',
    });
  }
  if (status === 'deleted') {
    return new DomainError('PRECONDITION_FAILED', `cannot ${kind}: cluster was deleted; its record is kept as history only`, {
      hint: 'create a new cluster instead',
    });
  }
  if (status === 'ready' && kind === 'create') {
    return new DomainError('CONFLICT', 'cannot create: cluster already exists and is ready', { hint: 'use update to change it' });
  }
  if (status === 'requested') {
    return new DomainError('PRECONDITION_FAILED', `cannot ${kind}: cluster has not been provisioned yet`, {
      hint: 'wait for the create operation to finish, or delete the request',
    });
  }
  const failed = failure ? `its last ${failure.operation} failed (${failure.reason})` : 'it failed';
  return new DomainError('PRECONDITION_FAILED', `cannot ${kind}: cluster is failed; ${failed}`, {
    hint: `allowed now: ${allowed.join(', ')}`,
  });
}

/** Whether an operation of `kind` may start from `state`. */
export function canStart(state: ClusterStatus | ClusterState, kind: OperationKind): boolean {
  return startError(state, kind) === undefined;
}

/** Throws the DomainError of `startError` when the operation may not start. */
export function assertCanStart(state: ClusterStatus | ClusterState, kind: OperationKind): void {
  const err = startError(state, kind);
  if (err) throw err;
}

/**
 * The status after an operation of `kind`, started from `previous`, ended with `outcome`.
 * A refresh only reads, so it never changes the status (its result is drift, not state); an
 * operation that stopped for approval changed nothing, so it keeps the status too.
 * A cancelled mutation may have applied part of its changes, so it counts as a failure.
 */
export function statusAfter(kind: OperationKind, outcome: OperationOutcome, previous: ClusterStatus): ClusterStatus {
  if (!STARTABLE[previous].includes(kind)) {
    throw new Error(`invalid transition: ${kind} cannot have started from ${previous}`);
  }
  if (kind === 'refresh' || outcome === 'needs_approval') return previous;
  if (outcome !== 'succeeded') return 'failed';
  return kind === 'delete' ? 'deleted' : 'ready';
}

/**
 * THE lifecycle transition, the one the worker writes: the cluster state after an operation of
 * `kind`, started from `previous` (as recorded on the operation when it was created), ended with
 * `outcome`. A refresh only reads, so it keeps the previous state exactly, failure included (a
 * drift check must neither hide a failure nor unlock what the failed operation forbids). A
 * failure records the operation and `reason`; a success clears it, with an optional `note` for
 * the status line (e.g. "deleted with leaks"). Throws when `kind` could not have started from
 * `previous` (the start check and this rule disagree: a bug, never user input).
 */
export function stateAfter(kind: OperationKind, outcome: OperationOutcome, previous: ClusterState, reason?: string, note?: string): ClusterState {
  const refused = startError(previous, kind);
  if (refused) throw new Error(`invalid transition: ${kind} cannot have started from ${describeState(previous)} (${refused.message})`);
  const status = statusAfter(kind, outcome, previous.status);
  // a drift check only reads; an operation that stopped for approval changed nothing
  if (kind === 'refresh' || outcome === 'needs_approval') return previous;
  if (status !== 'failed') return note ? { status, note } : { status };
  return { status, failure: { operation: kind, reason: outcome === 'cancelled' ? 'cancelled' : (reason ?? 'unknown error') } };
}

function describeState(state: ClusterState): string {
  return state.failure ? `${state.status} (${state.failure.operation} failed)` : state.status;
}

/** Whether a successful operation of `kind` makes the spec it applied the cluster's spec. */
export function appliesSpec(kind: OperationKind): boolean {
  return kind === 'create' || kind === 'update' || kind === 'upgrade' || kind === 'rollback' || kind === 'reconcile';
}
