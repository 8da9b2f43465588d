/**
 * The one rule for a Pulumi stack lock: stale (removed by the platform) or live (never removed,
 * waited for). A lock names the pid and host of the `pulumi` process that took it and has no
 * expiry (pulumi/pulumi pkg/backend/diy/lock.go@v3.260.0), so:
 * - on this host the kernel decides: the process is gone → stale; running → live, whatever the
 *   platform's records say (a process that is visibly alive may still be writing the state);
 * - on another host the platform's records (PostgreSQL: which attempt of which worker ran on that
 *   host, and whether its heartbeat is alive) decide: its owner is dead → stale; alive → live; a
 *   host the records do not know (a break-glass `pulumi` run, another installation) → live, for an
 *   admin to clear with an audited command.
 */
import type { StackLock } from './state-lock-store.ts';

/** What the platform's records say about the owner of a lock taken on another host. */
export interface LockOwner {
  state: 'dead' | 'alive' | 'unknown';
  /** Who it is, for messages (e.g. `operation op_… attempt 2, worker pid 123 on host-b`). */
  detail: string;
}

/** Answers who owns a lock taken on another host (the worker passes one backed by PostgreSQL). */
export interface LockOwnerAuthority {
  ownerOf(lock: StackLock, stackName: string): Promise<LockOwner>;
}

export type LockVerdict = { stale: boolean; reason: string };

/** Stale or live, and why. `owner` is the platform's answer for a lock from another host. */
export function lockVerdict(lock: StackLock, here: { hostname: string; isProcessRunning: (pid: number) => boolean }, owner: LockOwner | undefined): LockVerdict {
  if (lock.hostname === here.hostname) {
    return here.isProcessRunning(lock.pid)
      ? { stale: false, reason: `its pulumi process (pid ${lock.pid}) is running on this host` }
      : { stale: true, reason: `its pulumi process (pid ${lock.pid}) is gone from this host` };
  }
  if (!owner) return { stale: false, reason: `it was taken on another host (${lock.hostname}) and no platform records were consulted` };
  switch (owner.state) {
    case 'dead':
      return { stale: true, reason: `the platform's records show its owner is dead (${owner.detail})` };
    case 'alive':
      return { stale: false, reason: `the platform's records show its owner is alive (${owner.detail})` };
    case 'unknown':
      return { stale: false, reason: `no platform worker is recorded on ${lock.hostname} for this stack (${owner.detail}); a platform admin can clear it: kaas locks clear` };
  }
}
