/**
 * PostgreSQL as the authority on who owns a Pulumi stack lock taken on another host. Every
 * attempt of an operation records the host and pid of its worker and heartbeats while it runs
 * (`operation_attempts`); a lock on a cluster's stack taken on host H belongs to the attempts of
 * that stack's operations that ran on H. It is alive while one of them has not ended and its
 * heartbeat is fresh (a superseded attempt whose worker still heartbeats may still be inside its
 * `pulumi up`, so it counts as alive too); dead when they all ended or stopped heartbeating (a
 * killed or partitioned worker); unknown when none ran on H (a break-glass run, another
 * installation): those are never cleared automatically (stacks/engine/state-lock.ts).
 */
import os from 'node:os';
import { sql } from 'kysely';
import { isProcessRunning } from '../../stacks/engine/recovery.ts';
import { lockVerdict, type LockOwner, type LockOwnerAuthority } from '../../stacks/engine/state-lock.ts';
import type { StackLock } from '../../stacks/engine/state-lock-store.ts';
import type { Db, Tx } from '../db/schema.ts';

/** Seconds between an attempt's heartbeats. */
export const ATTEMPT_HEARTBEAT_SECONDS = 10;
/** An attempt whose last heartbeat is older than this is dead (three missed heartbeats). */
export const ATTEMPT_ALIVE_SECONDS = 3 * ATTEMPT_HEARTBEAT_SECONDS;

/** Records that this process runs attempt `attempt` of `operationId` (in the transaction that took it). */
export async function recordAttempt(tx: Tx | Db, operationId: string, attempt: number, host = os.hostname(), pid = process.pid): Promise<void> {
  await tx
    .insertInto('operation_attempts')
    .values({ operation_id: operationId, attempt, host, pid })
    .onConflict((oc) => oc.columns(['operation_id', 'attempt']).doUpdateSet({ host, pid, heartbeat_at: sql`now()`, ended_at: null }))
    .execute();
}

/** Heartbeats the attempt until `stop()`, which records its end. Heartbeat errors are left to the next beat. */
export function heartbeatAttempt(db: Db, operationId: string, attempt: number, everyMs = ATTEMPT_HEARTBEAT_SECONDS * 1000): { stop(): Promise<void> } {
  const row = () => db.updateTable('operation_attempts').where('operation_id', '=', operationId).where('attempt', '=', attempt);
  const timer = setInterval(() => void row().set({ heartbeat_at: sql`now()` }).where('ended_at', 'is', null).execute().catch(() => undefined), everyMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await row().set({ ended_at: sql`now()` }).execute().catch(() => undefined);
    },
  };
}

/** What the records say about the owner of `lock` on stack `stackName`. */
export async function lockOwnerOf(db: Db, lock: StackLock, stackName: string, aliveSeconds = ATTEMPT_ALIVE_SECONDS): Promise<LockOwner> {
  const rows = await db
    .selectFrom('operation_attempts as a')
    .innerJoin('operations as o', 'o.id', 'a.operation_id')
    .innerJoin('clusters as c', 'c.id', 'o.cluster_id')
    .select(['a.operation_id', 'a.attempt', 'a.pid', 'a.ended_at', sql<boolean>`a.ended_at is null and a.heartbeat_at > now() - make_interval(secs => ${aliveSeconds})`.as('alive')])
    .where('c.stack_name', '=', stackName)
    .where('a.host', '=', lock.hostname)
    .orderBy('a.started_at', 'desc')
    .execute();
  const describe = (r: (typeof rows)[number]) => `operation ${r.operation_id} attempt ${r.attempt}, worker pid ${r.pid} on ${lock.hostname}`;
  const alive = rows.find((r) => r.alive);
  if (alive) return { state: 'alive', detail: `${describe(alive)}, heartbeat within ${aliveSeconds} s` };
  if (rows.length > 0) return { state: 'dead', detail: `${describe(rows[0]!)}, ${rows[0]!.ended_at ? 'ended' : `no heartbeat for over ${aliveSeconds} s`}` };
  return { state: 'unknown', detail: `no attempt of an operation on stack ${stackName} ran on ${lock.hostname}` };
}

/** The authority the worker hands to every engine run. */
export function pgLockOwners(db: Db): LockOwnerAuthority {
  return { ownerOf: (lock, stackName) => lockOwnerOf(db, lock, stackName) };
}

/** One lock of a stack with the platform's verdict on it (the rule: stacks/engine/state-lock.ts). */
export interface AssessedLock {
  lock: StackLock;
  /** The records' answer for a lock from another host (undefined: taken on this host, the kernel decides). */
  owner: LockOwner | undefined;
  stale: boolean;
  reason: string;
}

/** The locks of `stackName` and whether each one is stale, by the one rule the engine applies. */
export async function assessStackLocks(db: Db, locks: StackLock[], stackName: string): Promise<AssessedLock[]> {
  const here = { hostname: os.hostname(), isProcessRunning };
  return Promise.all(
    locks.map(async (lock) => {
      const owner = lock.hostname === here.hostname ? undefined : await lockOwnerOf(db, lock, stackName);
      return { lock, owner, ...lockVerdict(lock, here, owner) };
    }),
  );
}
