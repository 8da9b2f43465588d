/**
 * A PostgreSQL connection terminated while in use (pg_terminate_backend, 57P01, a server restart)
 * must not crash the process: a child process runs kysely transactions and a pg-boss worker while
 * this test terminates every backend of its database, again and again; the process stays up and
 * its queries succeed again afterwards.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { createEmptyDatabase } from './support/database.ts';

const CHILD = fileURLToPath(new URL('./fixtures/db-terminate/child.ts', import.meta.url));

interface Counts {
  ok: number;
  failed: number;
  boss: number;
  bossFailed: number;
}

describe('terminated database connections', () => {
  let child: ChildProcess | undefined;
  afterAll(() => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
  });

  it('keep the process up; kysely and pg-boss work again once the terminations stop', async () => {
    const url = await createEmptyDatabase();
    const dbName = new URL(url).pathname.slice(1);
    const proc = spawn(process.execPath, [CHILD, url], { stdio: ['pipe', 'pipe', 'pipe'] });
    child = proc;
    let stdout = '';
    let stderr = '';
    let latest: Counts = { ok: 0, failed: 0, boss: 0, bossFailed: 0 };
    const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
    let exitCode: number | null | undefined;
    void exited.then((code) => (exitCode = code));
    proc.stderr!.on('data', (c: Buffer) => (stderr += String(c)));
    proc.stdout!.on('data', (c: Buffer) => {
      stdout += String(c);
      const lines = stdout.split('\n').filter((l) => l.startsWith('{'));
      if (lines.length > 0) latest = JSON.parse(lines.at(-1)!) as Counts;
    });
    const until = async (what: string, ok: () => boolean) => {
      while (!ok()) {
        if (exitCode !== undefined) throw new Error(`child exited (${exitCode}) while waiting for ${what}:\n${stderr}`);
        await sleep(25);
      }
    };
    await until('ready', () => stdout.includes('ready\n') && latest.ok > 3 && latest.boss > 2);

    const admin = new pg.Client({ connectionString: inject('pgUrl') });
    await admin.connect();
    let terminated = 0;
    try {
      for (let round = 0; round < 40 && exitCode === undefined; round++) {
        const r = await admin.query<{ n: string }>('select count(*) filter (where t) as n from (select pg_terminate_backend(pid) as t from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()) s', [dbName]);
        terminated += Number(r.rows[0]!.n);
        await sleep(40);
      }
    } finally {
      await admin.end();
    }
    expect(exitCode, `the child crashed:\n${stderr}`).toBeUndefined();
    expect(stderr).not.toMatch(/Unhandled 'error' event|terminating connection due to administrator command/);
    expect(terminated).toBeGreaterThan(40);

    // the terminations did hit queries in use, and both kysely and pg-boss recover
    const after = latest;
    await until('queries after the terminations', () => latest.ok > after.ok + 10 && latest.boss > after.boss + 5);
    expect(latest.failed + latest.bossFailed).toBeGreaterThan(0);

    proc.stdin!.write('stop\n');
    expect(await exited).toBe(0);
    expect(stderr).toBe('');
  }, 60_000);
});
