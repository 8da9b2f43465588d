/**
 * Under a supervisor (systemd, Kubernetes, a process manager) the README's start command is the
 * process that receives SIGTERM, not its whole group. That signal must reach the platform so its
 * graceful shutdown runs: requests drained, operations requeued, embedded PostgreSQL stopped. When
 * `scripts/start.sh` ran `npm start`, npm took the signal and left `node api/main.ts` and its
 * PostgreSQL running orphaned.
 */
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { startPlatformProcess, type PlatformProcess } from './support/platform-process.ts';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('SIGTERM to scripts/start.sh only (not its process group)', () => {
  let platform: PlatformProcess | undefined;
  let postgresPid = 0;
  afterAll(() => {
    // Clean up whatever a failing run left behind (the orphans this test is about).
    if (platform?.child.exitCode === null) process.kill(-platform.child.pid!, 'SIGKILL');
    if (postgresPid && alive(postgresPid)) process.kill(postgresPid, 'SIGKILL');
    if (platform) fs.rmSync(platform.home, { recursive: true, force: true });
  });

  it('shuts the platform down in order and stops PostgreSQL', { timeout: 180_000 }, async () => {
    platform = await startPlatformProcess({ viaStartScript: true, detached: true, logLevel: 'info', readyTimeoutMs: 150_000 });
    const pidFile = path.join(platform.home, 'postgres', 'data', 'postmaster.pid');
    postgresPid = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]);
    const exited = new Promise<number | null>((resolve) => platform!.child.once('exit', (code) => resolve(code)));
    process.kill(platform.child.pid!, 'SIGTERM'); // the script's pid only, as a supervisor does
    const code = await Promise.race([exited, sleep(30_000).then(() => 'timeout' as const)]);
    expect(code, platform.stderr().slice(0, 2000)).toBe(0);
    expect(platform.stdout()).toMatch(/shutting down/);
    for (let i = 0; i < 40 && alive(postgresPid); i++) await sleep(250);
    expect(alive(postgresPid), 'the embedded PostgreSQL outlived the platform').toBe(false);
  });
});
