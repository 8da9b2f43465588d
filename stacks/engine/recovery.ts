/**
 * Recovery for stacks left behind by a dead process: a stale lock (the DIY backend's lock file
 * names the pid and host of the `pulumi` process that took it, and has no expiry) and pending
 * operations in the state (a crash mid-update). A lock held by a live process, or by a process on
 * another host whose liveness cannot be known, is never broken.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseProcStat } from '../common/proc-stat.ts';

/** What a DIY backend writes into `.pulumi/locks/<org>/<project>/<stack>/<uuid>.json`. */
export interface StackLock {
  file: string;
  pid: number;
  username?: string;
  hostname: string;
  timestamp?: string;
}

/** Lists the lock files of one stack in a `file://` backend; other backends return []. */
export function readStackLocks(backendUrl: string, project: string, stack: string): StackLock[] {
  if (!backendUrl.startsWith('file://')) return [];
  const root = fileURLToPath(backendUrl);
  const dir = path.join(root, '.pulumi', 'locks', 'organization', project, stack);
  let names: string[];
  try {
    names = fs.readdirSync(dir).filter((n) => n.endsWith('.json'));
  } catch {
    return [];
  }
  const locks: StackLock[] = [];
  for (const name of names) {
    const file = path.join(dir, name);
    try {
      const doc = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<StackLock>;
      locks.push({ file, pid: Number(doc.pid), hostname: String(doc.hostname ?? ''), ...(doc.username ? { username: doc.username } : {}), ...(doc.timestamp ? { timestamp: doc.timestamp } : {}) });
    } catch {
      // a lock being written right now: treat it as live by leaving it out of the stale set
    }
  }
  return locks;
}

/** True when the process that took the lock is known to be gone (same host, pid not running). */
export function isStaleLock(lock: StackLock, hostname = os.hostname()): boolean {
  if (lock.hostname !== hostname || !Number.isInteger(lock.pid) || lock.pid <= 0) return false;
  try {
    process.kill(lock.pid, 0);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
  return isZombie(lock.pid);
}

/** A killed process whose parent has not reaped it yet still answers kill(pid, 0). */
function isZombie(pid: number): boolean {
  try {
    return parseProcStat(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'))?.state === 'Z';
  } catch {
    return false;
  }
}

/** Describes a lock for an error message. */
export function describeLock(lock: StackLock): string {
  return `pid ${lock.pid} on ${lock.hostname}${lock.timestamp ? ` since ${lock.timestamp}` : ''}`;
}

/** Pending operations recorded in an exported deployment (a crash mid-update leaves them). */
export function pendingOperations(deployment: unknown): { type: string; urn: string }[] {
  const pending = (deployment as { deployment?: { pending_operations?: { type: string; resource: { urn: string } }[] } })?.deployment?.pending_operations;
  return (pending ?? []).map((op) => ({ type: op.type, urn: op.resource.urn }));
}
