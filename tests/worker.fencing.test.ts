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
import { FakeEngine, type FakeCall } from './support/fake-engine.ts';
import { testPlatform, type TestPlatform } from './support/services.ts';

describe('a superseded attempt', () => {
  let p: TestPlatform;
  let alice: Actor;
  const settings = { retries: 0, backoffMs: 1 };
  const signal = () => new AbortController().signal;
  const cluster = (name: string) => p.services.db.selectFrom('clusters').selectAll().where('name', '=', name).executeTakeFirstOrThrow();
  const ops = (clusterId: string) => p.services.db.selectFrom('operations').selectAll().where('cluster_id', '=', clusterId).orderBy('created_at').execute();
  // the event log too: events the stale attempt still had buffered are fenced like every other write
  const events = (operationIds: string[]) => p.services.db.selectFrom('operation_events').select(['operation_id', 'seq', 'event']).where('operation_id', 'in', operationIds).orderBy('operation_id').orderBy('seq').execute();

  beforeAll(async () => {
    p = await testPlatform();
    alice = await p.actor('alice', 'member', await p.team('payments'));
  });
  afterAll(async () => {
    await p.close();
  });

  /** Runs `operationId` on a stale worker paused inside its first `method` call while `takeover` runs. */
  async function pausedWhile(operationId: string, stale: FakeEngine, method: 'up' | 'resources', takeover: () => Promise<void>, onResume: (call: FakeCall) => void = () => undefined) {
    let resume!: () => void;
    const paused = new Promise<void>((r) => (resume = r));
    let reached!: () => void;
    const inside = new Promise<void>((r) => (reached = r));
    stale.onNext(method, async (call) => {
      reached();
      await paused; // SIGSTOP: the worker's lease lapses meanwhile
      onResume(call);
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
    let before!: { cluster: Awaited<ReturnType<typeof cluster>>; ops: Awaited<ReturnType<typeof ops>>; events: Awaited<ReturnType<typeof events>> };
    const snapshot = async () => {
      const c = await cluster('web');
      const rows = await ops(c.id);
      return { cluster: c, ops: rows, events: await events(rows.map((o) => o.id)) };
    };
    const outcome = await pausedWhile(
      old.id,
      stale,
      'up',
      async () => {
      // another worker takes the job (pg-boss re-delivers it after the missed heartbeat) and finishes it
      expect(await runOperation(p.services, old.id, settings, signal(), fresh)).toBe('done');
      const { operation: newer } = await p.caller(alice).clusters.update({ name: 'web', set: ['nodePools.general.desiredSize=4'] });
      expect(await runOperation(p.services, newer.id, settings, signal(), fresh)).toBe('done');
      before = await snapshot();
      },
      // the resumed `up` still streams an event before it returns; the attempt buffers it
      (call) => call.run?.onEvent?.({ kind: 'diagnostic', severity: 'info', message: 'stale up: last event before it returns' }),
    );
    const after = await snapshot();
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
    const outcome = await pausedWhile(del!.id, stale, 'resources', async () => {
      expect(await runOperation(p.services, del!.id, settings, signal(), fresh)).toBe('done');
    });
    expect(outcome).toBe('superseded');
    expect(stale.calls.map((c) => c.method)).toEqual(['resources']);
    expect(await cluster('db')).toMatchObject({ status: 'deleted' });
    const row = (await ops((await cluster('db')).id)).find((o) => o.id === del!.id)!;
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
