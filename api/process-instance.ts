/**
 * Which platform processes run on this host for one KAAS_HOME, and clean-up after one that was
 * killed with SIGKILL. Such a process leaves its children running: the embedded PostgreSQL (in its
 * own session, so a terminal's Ctrl-C does not reach it) and the engine's `pulumi` CLI and provider
 * plugins. Each platform process records itself in `<home>/run/` and passes a marker in the
 * environment of every engine process (`KAAS_PLATFORM_INSTANCE`, inherited by plugins); the next
 * start stops the processes that carry the marker of a recorded instance that is gone.
 *
 * A process is named by pid and kernel start time, so a pid reused by an unrelated process is never
 * taken for the platform. Linux only (/proc); elsewhere nothing is recorded or reaped.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseProcStartTime, parseProcStat } from '../stacks/common/proc-stat.ts';

/** The environment variable carrying the platform instance's marker into engine processes. */
export const INSTANCE_ENV = 'KAAS_PLATFORM_INSTANCE';

/** One process on this host: pid and kernel start time. */
export interface ProcessIdentity {
  pid: number;
  startTime: string;
}

function readStat(pid: number): string | undefined {
  try {
    return fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
}

/** This process, or undefined where /proc is missing. */
export function selfIdentity(): ProcessIdentity | undefined {
  const startTime = parseProcStartTime(readStat(process.pid) ?? '');
  return startTime ? { pid: process.pid, startTime } : undefined;
}

/** Whether that very process (same pid, same start time) is still running (a zombie is not). */
export function isRunning(id: ProcessIdentity): boolean {
  const stat = readStat(id.pid);
  if (!stat) return false;
  return parseProcStat(stat)?.state !== 'Z' && parseProcStartTime(stat) === id.startTime;
}

/** Whether `pid` is a live (non-zombie) process. */
export function isAlive(pid: number): boolean {
  const stat = readStat(pid);
  return stat !== undefined && parseProcStat(stat)?.state !== 'Z';
}

/** The marker engine processes of instance `id` carry in `KAAS_PLATFORM_INSTANCE`. */
export function instanceMarker(id: ProcessIdentity): string {
  return `${id.pid}-${id.startTime}`;
}

/** Pids of live processes whose environment has `KAAS_PLATFORM_INSTANCE=<marker>`. */
export function processesWithMarker(marker: string): number[] {
  const wanted = `${INSTANCE_ENV}=${marker}`;
  const pids: number[] = [];
  let entries: string[];
  try {
    entries = fs.readdirSync('/proc');
  } catch {
    return [];
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      if (fs.readFileSync(`/proc/${entry}/environ`, 'utf8').split('\0').includes(wanted) && isAlive(Number(entry))) pids.push(Number(entry));
    } catch {
      // gone meanwhile, or another user's process
    }
  }
  return pids;
}

/**
 * Signals `pids` step by step, waiting up to each step's time for them to exit before the next
 * (default: SIGTERM, then SIGKILL after 5 s). Resolves with the pids still alive after the last step.
 */
export async function stopProcesses(pids: number[], steps: readonly (readonly [NodeJS.Signals, number])[] = [['SIGTERM', 5_000], ['SIGKILL', 5_000]]): Promise<number[]> {
  let left = pids.filter(isAlive);
  for (const [signal, waitMs] of steps) {
    if (left.length === 0) break;
    for (const pid of left) {
      try {
        process.kill(pid, signal);
      } catch {
        // already gone
      }
    }
    const deadline = Date.now() + waitMs;
    while (left.some(isAlive) && Date.now() < deadline) await sleep(100);
    left = left.filter(isAlive);
  }
  return left;
}

/** What the clean-up of one dead instance stopped. */
export interface ReapedInstance {
  instance: ProcessIdentity;
  stopped: number[];
}

function runDir(home: string): string {
  return path.join(home, 'run');
}

/**
 * For every instance recorded under `<home>/run/` that is no longer running: stops the processes
 * carrying its marker and removes the record. Live instances (another platform process on this
 * home) are left alone.
 */
export async function reapDeadInstances(home: string): Promise<ReapedInstance[]> {
  const dir = runDir(home);
  let files: string[];
  try {
    files = fs.readdirSync(dir).filter((f) => f.endsWith('.json'));
  } catch {
    return [];
  }
  const reaped: ReapedInstance[] = [];
  for (const file of files) {
    let instance: ProcessIdentity;
    try {
      const doc = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as Partial<ProcessIdentity>;
      if (!Number.isInteger(doc.pid) || typeof doc.startTime !== 'string') throw new Error('malformed');
      instance = { pid: doc.pid!, startTime: doc.startTime };
    } catch {
      fs.rmSync(path.join(dir, file), { force: true }); // a record cut short by the kill itself
      continue;
    }
    if (isRunning(instance)) continue;
    const stopped = processesWithMarker(instanceMarker(instance));
    await stopProcesses(stopped);
    fs.rmSync(path.join(dir, file), { force: true });
    reaped.push({ instance, stopped });
  }
  return reaped;
}

/** Records this process under `<home>/run/`; returns its marker and the removal of the record. */
export function registerInstance(home: string): { marker: string; release(): void } | undefined {
  const self = selfIdentity();
  if (!self) return undefined;
  const dir = runDir(home);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = path.join(dir, `${instanceMarker(self)}-${crypto.randomBytes(4).toString('hex')}.json`);
  fs.writeFileSync(file, JSON.stringify(self) + '\n', { mode: 0o600 });
  return { marker: instanceMarker(self), release: () => fs.rmSync(file, { force: true }) };
}
