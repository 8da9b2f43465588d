/**
 * Ctrl-C on `npm start`: the terminal sends SIGINT to the whole foreground process group. The
 * platform must shut down in order (as on SIGTERM) and exit 0 without a stack; the embedded
 * PostgreSQL runs in its own process group, so it is stopped by the platform, last, not by the
 * terminal's SIGINT (which made it terminate every connection: 57P01).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startPlatformProcess, type PlatformProcess } from './support/platform-process.ts';

describe('SIGINT to the process group', () => {
  let platform: PlatformProcess | undefined;
  afterAll(() => {
    if (platform?.child.exitCode === null) process.kill(-platform.child.pid!, 'SIGKILL');
    if (platform) fs.rmSync(platform.home, { recursive: true, force: true });
  });

  it('exits 0 with no 57P01 and no stack, and stops PostgreSQL', async () => {
    platform = await startPlatformProcess({ detached: true, logLevel: 'info' });
    const pidFile = path.join(platform.home, 'postgres', 'data', 'postmaster.pid');
    const postgresPid = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]);
    const code = await platform.stop('SIGINT', 30_000);
    const stderr = platform.stderr();
    expect(stderr).not.toMatch(/57P01|terminating connection/);
    expect(stderr).not.toMatch(/^\s+at /m);
    expect(code, stderr).toBe(0);
    expect(platform.stdout()).toMatch(/shutting down/);
    expect(() => process.kill(postgresPid, 0)).toThrow();
  });
});
