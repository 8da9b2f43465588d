/**
 * The worker writes the cluster state the lifecycle rule (`stateAfter`) decides, from the state
 * the operation recorded when it started: a drift check never hides a failure, never unlocks
 * operations a failed delete forbids, and an interrupted one resumes to the same state.
 * Real PostgreSQL and the real `runOperation`; a fake engine.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../api/auth/tokens.ts';
import { runOperation } from '../api/worker/run-operation.ts';
import { EngineError } from '../stacks/engine/engine-error.ts';
import { FakeEngine } from './support/fake-engine.ts';
import { testPlatform, type TestPlatform } from './support/services.ts';

describe('the lifecycle rule in the worker', () => {
  let p: TestPlatform;
  let alice: Actor;
  const engine = new FakeEngine();
  const settings = { retries: 0, backoffMs: 1 };
  const run = (id: string, signal = new AbortController().signal) => runOperation(p.services, id, settings, signal, engine);
  const cluster = (name: string) => p.services.db.selectFrom('clusters').selectAll().where('name', '=', name).orderBy('created_at', 'desc').executeTakeFirstOrThrow();
  const op = (id: string) => p.services.db.selectFrom('operations').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

  /** A ready cluster whose `failing` operation then failed with `reason`. */
  async function failedCluster(name: string, failing: 'update' | 'delete', reason: string) {
    const { operation } = await p.caller(alice).clusters.create({ name, template: 'sim-dev' });
    expect(await run(operation.id)).toBe('done');
    expect((await cluster(name)).status).toBe('ready');
    engine.failNext(failing === 'update' ? 'up' : 'resources', new EngineError('failed', reason));
    const started =
      failing === 'update'
        ? await p.caller(alice).clusters.update({ name, set: ['nodePools.general.desiredSize=3'] })
        : await p.caller(alice).clusters.delete({ name, confirm: name });
    await run(started.operation!.id);
    expect((await op(started.operation!.id)).status).toBe('failed');
    const row = await cluster(name);
    expect({ status: row.status, failed: row.failed_operation, reason: row.status_reason }).toEqual({ status: 'failed', failed: failing, reason });
    return started.operation!.id;
  }

  beforeAll(async () => {
    p = await testPlatform();
    alice = await p.actor('alice', 'member', await p.team('payments'));
  });
  afterAll(async () => {
    await p.close();
  });

  it('records the state each operation started from', async () => {
    const { operation } = await p.caller(alice).clusters.create({ name: 'rec', template: 'sim-dev' });
    expect(await op(operation.id)).toMatchObject({ from_status: 'requested', from_failure: null });
    await run(operation.id);
    const failedOp = await failedCluster('rec2', 'update', 'quota exceeded');
    expect(await op(failedOp)).toMatchObject({ from_status: 'ready', from_failure: null });
    const { operation: drift } = await p.caller(alice).clusters.drift({ name: 'rec2' });
    expect(await op(drift.id)).toMatchObject({ from_status: 'failed', from_failure: { operation: 'update', reason: 'quota exceeded' } });
  });

  it('a drift check on a failed cluster keeps the failed operation and its reason, so retry still works', async () => {
    await failedCluster('f1', 'update', 'sim: capacity exhausted');
    const { operation } = await p.caller(alice).clusters.drift({ name: 'f1' });
    await run(operation.id);
    expect((await op(operation.id)).status).toBe('succeeded');
    const row = await cluster('f1');
    expect({ status: row.status, failed: row.failed_operation, reason: row.status_reason }).toEqual({ status: 'failed', failed: 'update', reason: 'sim: capacity exhausted' });
    const { operation: retry } = await p.caller(alice).clusters.retry({ name: 'f1' });
    expect(retry.kind).toBe('update');
    await run(retry.id);
    expect((await cluster('f1')).status).toBe('ready');
    expect((await cluster('f1')).failed_operation).toBeNull();
  });

  it('a failed drift check on a failed cluster keeps the first failure too', async () => {
    await failedCluster('f2', 'update', 'first failure');
    engine.failNext('refresh');
    const { operation } = await p.caller(alice).clusters.drift({ name: 'f2' });
    await run(operation.id);
    expect((await op(operation.id)).status).toBe('failed');
    const row = await cluster('f2');
    expect({ status: row.status, failed: row.failed_operation, reason: row.status_reason }).toEqual({ status: 'failed', failed: 'update', reason: 'first failure' });
  });

  it('a drift check on a cluster whose delete failed does not unlock update', async () => {
    await failedCluster('half', 'delete', 'sim: load balancer still attached');
    const { operation } = await p.caller(alice).clusters.drift({ name: 'half' });
    await run(operation.id);
    const row = await cluster('half');
    expect({ status: row.status, failed: row.failed_operation }).toEqual({ status: 'failed', failed: 'delete' });
    await expect(p.caller(alice).clusters.update({ name: 'half', set: ['nodePools.general.desiredSize=2'] })).rejects.toThrow(/cannot update: cluster is failed; its last delete failed/);
  });

  it('an interrupted drift check on a failed cluster resumes and ends failed, not ready', async () => {
    await failedCluster('f3', 'update', 'upstream 503');
    const { operation } = await p.caller(alice).clusters.drift({ name: 'f3' });
    const shutdown = new AbortController();
    engine.onNext('refresh', () => {
      shutdown.abort();
      throw new EngineError('cancelled', 'the operation was cancelled');
    });
    expect(await run(operation.id, shutdown.signal)).toBe('interrupted');
    expect((await cluster('f3')).status).toBe('drift_checking');
    expect(await run(operation.id)).toBe('done');
    const row = await cluster('f3');
    expect({ status: row.status, failed: row.failed_operation, reason: row.status_reason }).toEqual({ status: 'failed', failed: 'update', reason: 'upstream 503' });
  });

  it('an interrupted update resumed by another worker fails to `failed`, from the state it started in', async () => {
    const { operation: create } = await p.caller(alice).clusters.create({ name: 'f4', template: 'sim-dev' });
    await run(create.id);
    const { operation } = await p.caller(alice).clusters.update({ name: 'f4', set: ['nodePools.general.desiredSize=2'] });
    const shutdown = new AbortController();
    engine.onNext('up', () => {
      shutdown.abort();
      throw new EngineError('cancelled', 'the operation was cancelled');
    });
    expect(await run(operation.id, shutdown.signal)).toBe('interrupted');
    engine.failNext('up', new EngineError('invalid', 'bad machine type'));
    await run(operation.id);
    const row = await cluster('f4');
    expect({ status: row.status, failed: row.failed_operation, reason: row.status_reason }).toEqual({ status: 'failed', failed: 'update', reason: 'bad machine type' });
  });
});
