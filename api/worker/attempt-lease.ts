/**
 * Fencing between workers. Each time a worker takes an operation, `operations.attempts` goes up
 * by one in the statement that marks it running; the value it returned is that attempt's fencing
 * token. Every later write of the attempt carries `where id = ? and attempts = ? and status =
 * 'running'` in the same statement, and every engine run is preceded by the same check, so a
 * worker that lost its job (paused past its heartbeat, then resumed after another worker took
 * over) stops without touching the cloud or the rows.
 */
import type { Updateable } from 'kysely';
import type { ClusterTable, Db, OperationTable, OperationRow, Tx } from '../db/schema.ts';
import type { StackEngine } from './handlers/contract.ts';
import { pgLockOwners, recordAttempt } from './state-lock-owner.ts';

/** Thrown when the attempt no longer owns its operation; the attempt must stop at once. */
export class LeaseLost extends Error {
  constructor(operationId: string, attempt: number) {
    super(`operation ${operationId}: attempt ${attempt} lost its lease to a newer attempt; stopping without writing`);
    this.name = 'LeaseLost';
  }
}

/** One attempt's ownership of an operation. */
export class AttemptLease {
  readonly operationId: string;
  readonly clusterId: string;
  readonly attempt: number;
  #lost = false;

  constructor(operationId: string, clusterId: string, attempt: number) {
    this.operationId = operationId;
    this.clusterId = clusterId;
    this.attempt = attempt;
  }

  /** Whether a check or write found the lease gone. */
  get lost(): boolean {
    return this.#lost;
  }

  #fail(): never {
    this.#lost = true;
    throw new LeaseLost(this.operationId, this.attempt);
  }

  /** Throws LeaseLost unless this attempt still runs the operation. */
  async assertHeld(db: Db | Tx): Promise<void> {
    if (this.#lost) this.#fail();
    const row = await db.selectFrom('operations').select('id').where('id', '=', this.operationId).where('attempts', '=', this.attempt).where('status', '=', 'running').executeTakeFirst();
    if (!row) this.#fail();
  }

  /** In a transaction: locks the operation row if still owned (so no takeover commits meanwhile), else LeaseLost. */
  async lock(tx: Tx): Promise<void> {
    if (this.#lost) this.#fail();
    const row = await tx.selectFrom('operations').select('id').where('id', '=', this.operationId).where('attempts', '=', this.attempt).where('status', '=', 'running').forUpdate().executeTakeFirst();
    if (!row) this.#fail();
  }

  /** Updates the operation row, fenced in the same statement; LeaseLost when it no longer owns it. */
  async updateOperation(db: Db | Tx, values: Updateable<OperationTable>): Promise<void> {
    if (this.#lost) this.#fail();
    const res = await db.updateTable('operations').set(values).where('id', '=', this.operationId).where('attempts', '=', this.attempt).where('status', '=', 'running').executeTakeFirst();
    if (res.numUpdatedRows === 0n) this.#fail();
  }

  /** Updates the cluster row only while this attempt owns its operation (checked in the same statement). */
  async updateCluster(db: Db | Tx, values: Updateable<ClusterTable>): Promise<void> {
    if (this.#lost) this.#fail();
    const res = await db
      .updateTable('clusters')
      .set(values)
      .where('id', '=', this.clusterId)
      .where((eb) =>
        eb.exists(eb.selectFrom('operations').select('operations.id').where('operations.id', '=', this.operationId).where('operations.attempts', '=', this.attempt).where('operations.status', '=', 'running')),
      )
      .executeTakeFirst();
    if (res.numUpdatedRows === 0n) this.#fail();
  }
}

/**
 * Takes operation `op` for a new attempt: marks it running with `attempts + 1` if it is still
 * queued or running (a crashed or paused owner), returning the lease; undefined when it is done.
 */
export async function takeOperation(tx: Tx, op: OperationRow): Promise<{ lease: AttemptLease; row: OperationRow } | undefined> {
  const row = await tx
    .updateTable('operations')
    .set((eb) => ({ status: 'running', attempts: eb('attempts', '+', 1), started_at: op.started_at ?? new Date(), step: 'starting' }))
    .where('id', '=', op.id)
    .where('status', 'in', ['queued', 'running'])
    .returningAll()
    .executeTakeFirst();
  // which worker runs this attempt: the authority on the stack locks it takes (state-lock-owner.ts)
  if (row) await recordAttempt(tx, row.id, row.attempts);
  return row ? { lease: new AttemptLease(row.id, row.cluster_id, row.attempts), row } : undefined;
}

/**
 * `engine` with the lease checked before every run, and PostgreSQL as the authority on the owner
 * of a stack lock taken on another host.
 */
export function fencedEngine(engine: StackEngine, lease: AttemptLease, db: Db): StackEngine {
  const held = () => lease.assertHeld(db);
  const lockOwners = pgLockOwners(db);
  return {
    up: async (target, run, opts) => (await held(), engine.up(target, { lockOwners, ...run }, opts)),
    preview: async (target, run, opts) => (await held(), engine.preview(target, { lockOwners, ...run }, opts)),
    refresh: async (target, opts, run) => (await held(), engine.refresh(target, opts, { lockOwners, ...run })),
    destroy: async (target, opts, run) => (await held(), engine.destroy(target, opts, { lockOwners, ...run })),
    resources: async (target) => (await held(), engine.resources(target)),
    remove: async (stackName) => (await held(), engine.remove(stackName)),
  };
}
