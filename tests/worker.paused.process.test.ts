/**
 * Fencing between worker PROCESSES (issue 8, section 5): two worker processes on one database.
 * Worker A takes an update and is SIGSTOPped inside its `pulumi up`; worker B takes the same
 * operation over (a new attempt, as when pg-boss re-delivers a job whose heartbeat lapsed) and
 * finishes it; a newer update then succeeds; worker A is resumed (SIGCONT) and its `up` returns.
 * A writes nothing (operation rows, cluster row, event log unchanged) and calls the engine no more.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../api/auth/tokens.ts';
import { testPlatform, type TestPlatform } from './support/services.ts';
import { WorkerProcess as Worker } from './support/worker-process.ts';

describe('a worker process paused mid-operation and resumed after a takeover', () => {
  let p: TestPlatform;
  let alice: Actor;
  const workers: Worker[] = [];
  beforeAll(async () => {
    p = await testPlatform();
    alice = await p.actor('alice', 'member', await p.team('payments'));
  });
  afterAll(async () => {
    for (const w of workers) if (w.exitCode === undefined) (w.proc.kill('SIGCONT'), w.proc.kill('SIGKILL'));
    await p.close();
  });

  it('writes nothing and runs no further engine call', async () => {
    const db = p.services.db;
    const url = p.config.databaseUrl!;
    const a = new Worker(url, p.home);
    const b = new Worker(url, p.home);
    workers.push(a, b);
    await a.until('ready', () => a.lines.some((l) => l.ready));
    await b.until('ready', () => b.lines.some((l) => l.ready));

    const { operation: create } = await p.caller(alice).clusters.create({ name: 'web', template: 'sim-dev' });
    expect(await b.run(create.id)).toBe('done');
    const { operation: old } = await p.caller(alice).clusters.update({ name: 'web', set: ['nodePools.general.desiredSize=2'] });

    // worker A takes the update and is paused inside its `up`
    a.send('hold-up');
    a.send(`run ${old.id}`);
    await a.until('A inside up', () => a.engineCalls().includes('up'));
    expect(a.proc.kill('SIGSTOP')).toBe(true);

    // worker B takes the same operation over and finishes it; a newer update succeeds
    expect(await b.run(old.id)).toBe('done');
    const { operation: newer } = await p.caller(alice).clusters.update({ name: 'web', set: ['nodePools.general.desiredSize=4'] });
    expect(await b.run(newer.id)).toBe('done');
    const snapshot = async () => {
      const cluster = await db.selectFrom('clusters').selectAll().where('name', '=', 'web').executeTakeFirstOrThrow();
      const ops = await db.selectFrom('operations').selectAll().where('cluster_id', '=', cluster.id).orderBy('created_at').execute();
      const events = await db.selectFrom('operation_events').select(['operation_id', 'seq', 'event']).where('operation_id', 'in', ops.map((o) => o.id)).orderBy('operation_id').orderBy('seq').execute();
      return { cluster, ops, events };
    };
    const before = await snapshot();
    expect(before.cluster).toMatchObject({ status: 'ready', node_count: 4 });
    const callsBefore = a.engineCalls();
    expect(callsBefore).toEqual(['up']);

    // worker A resumes; its `up` returns
    expect(a.proc.kill('SIGCONT')).toBe(true);
    a.send('release');
    expect(await a.outcome(old.id)).toBe('superseded');

    const after = await snapshot();
    expect(after).toEqual(before);
    expect(after.ops.find((o) => o.id === old.id)).toMatchObject({ status: 'succeeded', attempts: 2 });
    expect(a.engineCalls()).toEqual(['up']); // no second `up` of the old spec, nor anything else

    a.send('stop');
    b.send('stop');
    expect(await a.exited).toBe(0);
    expect(await b.exited).toBe(0);
    expect(a.stderr + b.stderr).toBe('');
  }, 60_000);
});
