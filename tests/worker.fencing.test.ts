/**
 * Fencing between workers: an attempt that lost its operation to a newer attempt (its worker was
 * paused past its lease, another worker took the job and finished it, a newer operation ran)
 * writes nothing and runs no further engine call when it resumes. Real PostgreSQL and
 * `runOperation`; the pause is a fake engine call that returns only after the takeover.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../api/auth/tokens.ts';
import { runOperation } from '../api/worker/run-operation.ts';
import { EngineError } from '../stacks/engine/engine-error.ts';
import { FakeEngine } from './support/fake-engine.ts';
import { testPlatform, type TestPlatform } from './support/services.ts';

describe('a superseded attempt', () => {
  let p: TestPlatform;
  let alice: Actor;
  const settings = { retries: 0, backoffMs: 1 };
  const signal = () => new AbortController().signal;
  const cluster = (name: string) => p.services.db.selectFrom('clusters').selectAll().where('name', '=', name).executeTakeFirstOrThrow();
  // the event log is left out: events the attempt buffered while it still owned the operation may
  // be flushed late (operation-events.ts appends unfenced); the attempt adds none once its lease is lost
  const ops = (clusterId: string) => p.services.db.selectFrom('operations').selectAll().where('cluster_id', '=', clusterId).orderBy('created_at').execute().then((rows) => rows.map(({ event_count: _, ...row }) => row));

  beforeAll(async () => {
    p = await testPlatform();
    alice = await p.actor('alice', 'member', await p.team('payments'));
  });
  afterAll(async () => {
    await p.close();
  });

  /** Runs `operationId` on a stale worker paused inside its first `method` call while `takeover` runs. */
  async function pausedWhile(operationId: string, stale: FakeEngine, method: 'up' | 'resources', takeover: () => Promise<void>) {
    let resume!: () => void;
    const paused = new Promise<void>((r) => (resume = r));
    let reached!: () => void;
    const inside = new Promise<void>((r) => (reached = r));
    stale.onNext(method, async () => {
      reached();
      await paused; // SIGSTOP: the worker's lease lapses meanwhile
    });
    const run = runOperation(p.services, operationId, settings, signal(), stale);
    await inside;
    await takeover();
    resume();
    return run;
  }

  it('an update resumed after another worker finished it and a newer update ran writes nothing', async () => {
    const fresh = new FakeEngine();
    const { operation: create } = await p.caller(alice).clusters.create({ name: 'web', template: 'sim-dev' });
    await runOperation(p.services, create.id, settings, signal(), fresh);
    const { operation: old } = await p.caller(alice).clusters.update({ name: 'web', set: ['nodePools.general.desiredSize=2'] });

    const stale = new FakeEngine();
    let before!: { cluster: Awaited<ReturnType<typeof cluster>>; ops: Awaited<ReturnType<typeof ops>> };
    const outcome = await pausedWhile(old.id, stale, 'up', async () => {
      // another worker takes the job (pg-boss re-delivers it after the missed heartbeat) and finishes it
      expect(await runOperation(p.services, old.id, settings, signal(), fresh)).toBe('done');
      const { operation: newer } = await p.caller(alice).clusters.update({ name: 'web', set: ['nodePools.general.desiredSize=4'] });
      expect(await runOperation(p.services, newer.id, settings, signal(), fresh)).toBe('done');
      before = { cluster: await cluster('web'), ops: await ops((await cluster('web')).id) };
    });
    const after = { cluster: await cluster('web'), ops: await ops(before.cluster.id) };
    expect(after).toEqual(before);
    expect(outcome).toBe('superseded');
    expect(after.cluster).toMatchObject({ status: 'ready', node_count: 4 });
    expect(after.ops.find((o) => o.id === old.id)).toMatchObject({ status: 'succeeded', attempts: 2 });
    expect(stale.calls.map((c) => c.method)).toEqual(['up']); // no second `up` of the old spec
  });

  it('a delete resumed after the takeover runs no further teardown stage', async () => {
    const fresh = new FakeEngine();
    const { operation: create } = await p.caller(alice).clusters.create({ name: 'db', template: 'sim-dev' });
    await runOperation(p.services, create.id, settings, signal(), fresh);
    const { operation: del } = await p.caller(alice).clusters.delete({ name: 'db', confirm: 'db' });
    const stale = new FakeEngine();
    const outcome = await pausedWhile(del.id, stale, 'resources', async () => {
      expect(await runOperation(p.services, del.id, settings, signal(), fresh)).toBe('done');
    });
    expect(outcome).toBe('superseded');
    expect(stale.calls.map((c) => c.method)).toEqual(['resources']);
    expect(await cluster('db')).toMatchObject({ status: 'deleted' });
    const row = (await ops((await cluster('db')).id)).find((o) => o.id === del.id)!;
    expect(row).toMatchObject({ status: 'succeeded', attempts: 2 });
  });

  it('an attempt taken over while it waits between retries stops before its next engine run', async () => {
    const fresh = new FakeEngine();
    const { operation: create } = await p.caller(alice).clusters.create({ name: 'api', template: 'sim-dev' });
    await runOperation(p.services, create.id, settings, signal(), fresh);
    const { operation: upd } = await p.caller(alice).clusters.update({ name: 'api', set: ['nodePools.general.desiredSize=3'] });
    const stale = new FakeEngine();
    stale.onNext('up', async () => {
      // the call fails (retryable) and, while this attempt backs off, another worker takes over
      expect(await runOperation(p.services, upd.id, settings, signal(), fresh)).toBe('done');
      throw new EngineError('failed', 'sim: connection reset');
    });
    expect(await runOperation(p.services, upd.id, { retries: 3, backoffMs: 1 }, signal(), stale)).toBe('superseded');
    expect(stale.calls.map((c) => c.method)).toEqual(['up']);
    expect((await ops((await cluster('api')).id)).find((o) => o.id === upd.id)).toMatchObject({ status: 'succeeded', error: null });
  });
});
