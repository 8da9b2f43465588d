/**
 * A database hiccup crashes nothing (issue 8, section 5): a worker process runs operations with
 * `runOperation` (fake engine, each `up` streaming events for a while) while this test terminates
 * the worker's PostgreSQL backends (`pg_terminate_backend`) again and again. The process stays up
 * and every operation ends succeeded.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Actor } from '../api/auth/tokens.ts';
import { testPlatform, type TestPlatform } from './support/services.ts';
import { WorkerProcess } from './support/worker-process.ts';

const APP = 'kaas-terminate-worker';

describe('a worker process whose database connections are terminated while operations run', () => {
  let p: TestPlatform;
  let alice: Actor;
  const workers: WorkerProcess[] = [];
  beforeAll(async () => {
    p = await testPlatform();
    alice = await p.actor('alice', 'member', await p.team('payments'));
  });
  afterAll(async () => {
    for (const w of workers) if (w.exitCode === undefined) w.proc.kill('SIGKILL');
    await p.close();
  });

  it('stays up, and its operations end succeeded', async () => {
    const w = new WorkerProcess(p.config.databaseUrl!, p.home, APP);
    workers.push(w);
    await w.until('ready', () => w.lines.some((l) => l.ready));
    w.send('slow 4000');
    w.send('work 4');
    await w.until('working', () => w.lines.some((l) => l.working));
    const ids: string[] = [];
    for (const name of ['a1', 'a2', 'a3', 'a4']) ids.push((await p.caller(alice).clusters.create({ name, template: 'sim-dev' })).operation.id);
    const statuses = () => p.services.db.selectFrom('operations').select(['id', 'status', 'error']).where('id', 'in', ids).orderBy('id').execute();
    const settled = async () => (await statuses()).every((o) => o.status === 'succeeded' || o.status === 'failed');

    // all four are inside their `up` (4 s each) before the terminations start
    await w.until('four ups running', () => w.engineCalls().filter((c) => c === 'up').length === ids.length);
    expect(await settled()).toBe(false);
    const admin = new pg.Client({ connectionString: inject('pgUrl') });
    await admin.connect();
    let terminated = 0;
    let rounds = 0;
    try {
      // only the worker's backends (named by application_name): the test's own pool is left alone
      for (; rounds < 60 && w.exitCode === undefined; rounds++) {
        const r = await admin.query<{ n: string }>('select count(*) filter (where t) as n from (select pg_terminate_backend(pid) as t from pg_stat_activity where application_name = $1) s', [APP]);
        terminated += Number(r.rows[0]!.n);
        await sleep(100);
      }
    } finally {
      await admin.end();
    }
    expect(w.exitCode, `the worker crashed:\n${w.stderr}`).toBeUndefined();
    // the terminations stop; operations hit by them resume (pg-boss retries the job, a new attempt)
    while (!(await settled())) {
      if (w.exitCode !== undefined) throw new Error(`the worker exited (${w.exitCode}):\n${w.stderr}`);
      await sleep(100);
    }
    expect(await statuses()).toEqual(ids.map((id) => ({ id, status: 'succeeded', error: null })).sort((x, y) => x.id.localeCompare(y.id)));
    expect(w.stderr).not.toMatch(/Unhandled 'error' event/);
    // the worker's connections were terminated while it ran (each round finds the ones it reopened)
    expect(terminated).toBeGreaterThan(0);
    const attempts = await p.services.db.selectFrom('operations').select('attempts').where('id', 'in', ids).execute();
    console.log(`terminated ${terminated} backends in ${rounds} rounds; attempts per operation: ${attempts.map((a) => a.attempts).join(",")}`);

    w.send('stop');
    expect(await w.exited).toBe(0);
  }, 90_000);
});
