/**
 * Recovery for stacks left behind by a dead process: stale locks (decided by `lockVerdict`,
 * state-lock.ts, and removed through the backend's `StateLockStore`, state-lock-store.ts) and
 * pending operations in the state (a crash mid-update).
 */
import fs from 'node:fs';
import { parseProcStat } from '../common/proc-stat.ts';
import type { StackLock } from './state-lock-store.ts';

export type { StackLock } from './state-lock-store.ts';

/** Whether process `pid` of this host is running (a zombie, killed but not reaped, is not). */
export function isProcessRunning(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return true; // not a pid we can judge: assume alive
  try {
    process.kill(pid, 0);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code !== 'ESRCH';
  }
  try {
    return parseProcStat(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'))?.state !== 'Z';
  } catch {
    return true;
  }
}

/** Describes a lock for a message. */
export function describeLock(lock: StackLock): string {
  return `pid ${lock.pid} on ${lock.hostname}${lock.timestamp ? ` since ${lock.timestamp}` : ''}`;
}

/** Pending operations recorded in an exported deployment (a crash mid-update leaves them). */
export function pendingOperations(deployment: unknown): { type: string; urn: string }[] {
  const pending = (deployment as { deployment?: { pending_operations?: { type: string; resource: { urn: string } }[] } })?.deployment?.pending_operations;
  return (pending ?? []).map((op) => ({ type: op.type, urn: op.resource.urn }));
}
