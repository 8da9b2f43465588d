import { describe, expect, it } from 'vitest';
import {
  assertCanStart,
  canStart,
  CLUSTER_STATUSES,
  OPERATION_KINDS,
  OPERATION_OUTCOMES,
  startError,
  stateAfter,
  statusAfter,
  statusWhileRunning,
  type ClusterStatus,
  type OperationKind,
} from './cluster-lifecycle.ts';

// Written out by hand (not derived from the implementation) so the two must agree.
const ALLOWED: Record<ClusterStatus, string> = {
  requested: 'create delete',
  provisioning: '',
  ready: 'update upgrade rollback refresh reconcile delete',
  updating: '',
  upgrading: '',
  drift_checking: '',
  deleting: '',
  deleted: '',
  failed: 'create update upgrade rollback refresh reconcile delete',
};
const AFTER_FAILED: Record<OperationKind, string> = {
  create: 'create delete',
  update: 'update upgrade rollback refresh reconcile delete',
  upgrade: 'update upgrade rollback refresh reconcile delete',
  rollback: 'update upgrade rollback refresh reconcile delete',
  refresh: 'update upgrade rollback refresh reconcile delete',
  reconcile: 'update upgrade rollback refresh reconcile delete',
  delete: 'refresh delete',
};

const pairs = CLUSTER_STATUSES.flatMap((status) => OPERATION_KINDS.map((kind) => [status, kind] as const));

describe('canStart', () => {
  it.each(pairs)('%s + %s', (status, kind) => {
    const expected = ALLOWED[status].split(' ').includes(kind);
    expect(canStart(status, kind)).toBe(expected);
    if (expected) expect(() => assertCanStart(status, kind)).not.toThrow();
    else expect(() => assertCanStart(status, kind)).toThrow(expect.objectContaining({ name: 'DomainError' }));
  });

  const failedPairs = OPERATION_KINDS.flatMap((failedOp) => OPERATION_KINDS.map((kind) => [failedOp, kind] as const));
  it.each(failedPairs)('failed %s, then %s', (failedOp, kind) => {
    const state = { status: 'failed' as const, failure: { operation: failedOp, reason: 'boom' } };
    expect(canStart(state, kind)).toBe(AFTER_FAILED[failedOp].split(' ').includes(kind));
  });

  it.each<[ClusterStatus, OperationKind, string, RegExp]>([
    ['deleting', 'update', 'CONFLICT', /cluster is deleting; wait for it to finish/],
    ['provisioning', 'delete', 'CONFLICT', /cluster is provisioning; one operation runs at a time/],
    ['drift_checking', 'upgrade', 'CONFLICT', /cluster is drift checking/],
    ['upgrading', 'upgrade', 'CONFLICT', /cluster is upgrading/],
    ['ready', 'create', 'CONFLICT', /already exists/],
    ['deleted', 'delete', 'PRECONDITION_FAILED', /cluster was deleted; its record is kept as history/],
    ['requested', 'update', 'PRECONDITION_FAILED', /has not been provisioned yet/],
  ])('refuses %s + %s with %s', (status, kind, code, message) => {
    const err = startError(status, kind);
    expect(err?.code).toBe(code);
    expect(err?.message).toMatch(message);
  });

  it('a failed cluster names the failed operation, the reason and what is allowed', () => {
    const err = startError({ status: 'failed', failure: { operation: 'create', reason: 'quota exhausted in region' } }, 'update');
    expect(err?.code).toBe('PRECONDITION_FAILED');
    expect(err?.message).toBe('cannot update: cluster is failed; its last create failed (quota exhausted in region)');
    expect(err?.hint).toBe('allowed now: create, delete');
  });
});

describe('statusWhileRunning', () => {
  it.each<[OperationKind, ClusterStatus]>([
    ['create', 'provisioning'],
    ['update', 'updating'],
    ['upgrade', 'upgrading'],
    ['refresh', 'drift_checking'],
    ['reconcile', 'updating'],
    ['delete', 'deleting'],
  ])('%s → %s', (kind, status) => expect(statusWhileRunning(kind)).toBe(status));

  it('every running status refuses every new operation', () => {
    for (const kind of OPERATION_KINDS) {
      for (const other of OPERATION_KINDS) expect(canStart(statusWhileRunning(kind), other)).toBe(false);
    }
  });
});

describe('statusAfter', () => {
  const startable = pairs.filter(([status, kind]) => ALLOWED[status].split(' ').includes(kind));
  const cases = startable.flatMap(([status, kind]) => OPERATION_OUTCOMES.map((outcome) => [kind, outcome, status] as const));

  it.each(cases)('%s %s from %s', (kind, outcome, previous) => {
    const expected: ClusterStatus =
      kind === 'refresh' || outcome === 'needs_approval' ? previous : outcome !== 'succeeded' ? 'failed' : kind === 'delete' ? 'deleted' : 'ready';
    expect(statusAfter(kind, outcome, previous)).toBe(expected);
  });

  it.each(pairs.filter(([status, kind]) => !ALLOWED[status].split(' ').includes(kind)))('rejects impossible %s + %s', (status, kind) => {
    expect(() => statusAfter(kind, 'succeeded', status)).toThrow(/invalid transition/);
  });
});

describe('stateAfter', () => {
  it('records the failed operation and reason', () => {
    expect(stateAfter('upgrade', 'failed', { status: 'ready' }, 'node pool drain timed out')).toEqual({
      status: 'failed',
      failure: { operation: 'upgrade', reason: 'node pool drain timed out' },
    });
  });
  it('a cancellation is a failure with reason "cancelled"', () => {
    expect(stateAfter('create', 'cancelled', { status: 'requested' }, 'ignored')).toEqual({
      status: 'failed',
      failure: { operation: 'create', reason: 'cancelled' },
    });
  });
  it('a successful retry clears the failure', () => {
    expect(stateAfter('create', 'succeeded', { status: 'failed', failure: { operation: 'create', reason: 'x' } })).toEqual({ status: 'ready' });
  });
  it('a refresh keeps the previous failure', () => {
    const failed = { status: 'failed' as const, failure: { operation: 'update' as const, reason: 'x' } };
    expect(stateAfter('refresh', 'failed', failed, 'y')).toEqual(failed);
    expect(stateAfter('refresh', 'succeeded', failed)).toEqual(failed);
  });
  it('an operation that stopped for approval changed nothing: the state stays, failure included', () => {
    expect(stateAfter('reconcile', 'needs_approval', { status: 'ready' })).toEqual({ status: 'ready' });
    const failed = { status: 'failed' as const, failure: { operation: 'update' as const, reason: 'x' } };
    expect(stateAfter('reconcile', 'needs_approval', failed)).toEqual(failed);
  });
  it('a successful delete ends in deleted, with its note', () => {
    expect(stateAfter('delete', 'succeeded', { status: 'ready' })).toEqual({ status: 'deleted' });
    expect(stateAfter('delete', 'succeeded', { status: 'ready' }, undefined, 'deleted with leaks: x')).toEqual({ status: 'deleted', note: 'deleted with leaks: x' });
  });
  it('refuses a transition the start rule forbids, including after a failed delete', () => {
    const halfDeleted = { status: 'failed' as const, failure: { operation: 'delete' as const, reason: 'x' } };
    expect(() => stateAfter('update', 'succeeded', halfDeleted)).toThrow(/invalid transition: update cannot have started from failed \(delete failed\)/);
    expect(stateAfter('refresh', 'succeeded', halfDeleted)).toEqual(halfDeleted);
    expect(() => stateAfter('refresh', 'succeeded', { status: 'drift_checking' })).toThrow(/invalid transition/);
  });
});
