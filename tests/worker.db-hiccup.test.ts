/**
 * A database hiccup inside a running operation (its connection terminated while a statement of
 * the attempt is in flight, 57P01) does not fail the operation: the attempt stops, the operation
 * stays running, and the next attempt (pg-boss retries the job) finishes it. Deterministic: the
 * test holds a lock on the operations table from inside an engine call and terminates the
 * backends waiting on it until the attempt stops. (It used to terminate only a fencing select,
 * then only the stage write: which of them the attempt issues next depends on timing, and on a
 * loaded machine the one it waited for never came, so CI failed.)
 */
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../api/auth/tokens.ts';
import { isDatabaseUnavailable } from '../api/db/connection-errors.ts';
import { runOperation } from '../api/worker/run-operation.ts';
import { FakeEngine } from './support/fake-engine.ts';
import { testPlatform, type TestPlatform } from './support/services.ts';

describe('a connection terminated during an attempt', () => {
  let p: TestPlatform;
  let alice: Actor;
  const settings = { retries: 0, backoffMs: 1 };
  beforeAll(async () => {
    p = await testPlatform();
    alice = await p.actor('alice', 'member', await p.team('payments'));
  });
  afterAll(async () => {
    await p.close();
  });

  it('leaves the operation to the next attempt instead of failing it', async () => {
    const engine = new FakeEngine();
    const { operation: create } = await p.caller(alice).clusters.create({ name: 'web', template: 'sim-dev' });
    await runOperation(p.services, create.id, settings, new AbortController().signal, engine);
    const { operation: del } = await p.caller(alice).clusters.delete({ name: 'web', confirm: 'web' });

    const admin = new pg.Client({ connectionString: p.config.databaseUrl! });
    await admin.connect();
    let terminated = 0;
    let settled = false;
    let terminator: Promise<void> = Promise.resolve();
    engine.onNext('resources', async () => {
      // from here every statement on the operations table waits on this lock. Which of the
      // attempt's statements comes next depends on timing (the fenced write of the next stage, or
      // the lease check before the next engine call; the 250 ms event flush and the heartbeat wait
      // too), so every backend waiting on it is terminated until the attempt has stopped: the
      // flush's and heartbeat's failures are logged and retried, the attempt's stops it.
      await admin.query('begin');
      await admin.query('lock table operations in access exclusive mode');
      terminator = (async () => {
        const deadline = Date.now() + 60_000; // a bound, not a timing assertion: the loop ends when the attempt stops
        while (!settled && Date.now() < deadline) {
          const r = await admin.query<{ n: string }>(
            `select count(*) filter (where t) as n from (select pg_terminate_backend(pid) as t from pg_stat_activity
               where datname = current_database() and pid <> pg_backend_pid() and wait_event_type = 'Lock'
                 and (query like 'update "operations"%' or query like 'select "id" from "operations"%')) s`,
          );
          terminated += Number(r.rows[0]!.n);
          await sleep(10);
        }
        await admin.query('rollback');
      })();
    });
    const first = await runOperation(p.services, del!.id, settings, new AbortController().signal, engine).then(
      (outcome) => ({ outcome }),
      (err: unknown) => ({ err }),
    );
    settled = true;
    await terminator;
    await admin.end();
    expect(terminated).toBeGreaterThanOrEqual(1);
    expect('err' in first && isDatabaseUnavailable(first.err), `the attempt should stop with the database error, got ${JSON.stringify(first)}`).toBe(true);
    const row = () => p.services.db.selectFrom('operations').select(['status', 'error', 'attempts']).where('id', '=', del!.id).executeTakeFirstOrThrow();
    expect(await row()).toEqual({ status: 'running', error: null, attempts: 1 });

    // the job's retry: a new attempt resumes the operation and finishes it
    expect(await runOperation(p.services, del!.id, settings, new AbortController().signal, engine)).toBe('done');
    expect(await row()).toEqual({ status: 'succeeded', error: null, attempts: 2 });
  });
});
