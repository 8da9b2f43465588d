/**
 * The retry table: a failed cloud call is retried; an error raised deterministically (a
 * DomainError from the platform or from inside the program, an invalid request) fails at once.
 * Real PostgreSQL and `runOperation`; a fake engine.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../api/auth/tokens.ts';
import { runOperation } from '../api/worker/run-operation.ts';
import { DomainError } from '../platform/errors.ts';
import { EngineError } from '../stacks/engine/engine-error.ts';
import { FakeEngine } from './support/fake-engine.ts';
import { testPlatform, type TestPlatform } from './support/services.ts';

describe('which failures the worker retries', () => {
  let p: TestPlatform;
  let alice: Actor;
  const settings = { retries: 2, backoffMs: 1 };
  const op = (id: string) => p.services.db.selectFrom('operations').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

  async function readyCluster(name: string, engine: FakeEngine) {
    const { operation } = await p.caller(alice).clusters.create({ name, template: 'sim-dev' });
    await runOperation(p.services, operation.id, settings, new AbortController().signal, engine);
    expect((await op(operation.id)).status).toBe('succeeded');
  }

  beforeAll(async () => {
    p = await testPlatform();
    alice = await p.actor('alice', 'member', await p.team('payments'));
  });
  afterAll(async () => {
    await p.close();
  });

  it('retries a failed cloud call', async () => {
    const engine = new FakeEngine();
    await readyCluster('c1', engine);
    engine.failNext('up');
    const { operation } = await p.caller(alice).clusters.update({ name: 'c1', set: ['nodePools.general.desiredSize=2'] });
    await runOperation(p.services, operation.id, settings, new AbortController().signal, engine);
    expect((await op(operation.id)).status).toBe('succeeded');
    expect(engine.calls.filter((c) => c.method === 'up')).toHaveLength(3); // create, failed update, retried update
  });

  it('does not retry a DomainError the program raised (wrapped by the engine)', async () => {
    const engine = new FakeEngine();
    await readyCluster('c2', engine);
    const refused = new DomainError('PRECONDITION_FAILED', 'addon externalDns needs a DNS zone', { hint: 'set dnsZones' });
    engine.failNext('up', new EngineError('failed', 'the pulumi engine failed', undefined, refused));
    const { operation } = await p.caller(alice).clusters.update({ name: 'c2', set: ['nodePools.general.desiredSize=2'] });
    await runOperation(p.services, operation.id, settings, new AbortController().signal, engine);
    const done = await op(operation.id);
    expect(done.status).toBe('failed');
    expect(engine.calls.filter((c) => c.method === 'up')).toHaveLength(2); // create + one update, no retry
  });

  it('does not retry an upgrade step that failed deterministically', async () => {
    const engine = new FakeEngine();
    await readyCluster('c3', engine);
    const { operation } = await p.caller(alice).clusters.upgrade({ name: 'c3', to: '1.34' });
    expect(operation).not.toBeNull();
    engine.failNext('up', new DomainError('VALIDATION', 'kubernetesVersion: 1.34 is not offered in region local'));
    await runOperation(p.services, operation!.id, settings, new AbortController().signal, engine);
    const done = await op(operation!.id);
    expect(done.status).toBe('failed');
    expect(done.error).toMatch(/step 1\/\d+ .* failed: kubernetesVersion: 1.34 is not offered/);
    expect(engine.calls.filter((c) => c.method === 'up')).toHaveLength(2);
  });
});

describe('a DomainError thrown inside the program', () => {
  it('reaches the retry decision although the engine reports only a CLI failure', async () => {
    const { guardProgram, programErrors } = await import('../api/worker/program-errors.ts');
    const { isRetryable } = await import('../api/worker/retry-policy.ts');
    const refused = new DomainError('UNSUPPORTED', 'addon ingress is not available on this cloud');
    const target = guardProgram({ stackName: 'c-x', program: async () => { throw refused; } });
    // what Pulumi does with an inline program's throw: runs it, then fails with its own error
    const fake = new FakeEngine();
    fake.onNext('up', async (call) => {
      await call.target!.program().catch(() => undefined);
      throw new EngineError('failed', 'error: an unhandled error occurred: program failed');
    });
    const err = await programErrors(fake).up(target).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EngineError);
    expect((err as EngineError).cause).toBe(refused);
    expect(isRetryable(err)).toBe(false);
    // a failed cloud call on the same target is still retryable
    fake.failNext('up');
    expect(isRetryable(await programErrors(fake).up(target).catch((e: unknown) => e))).toBe(true);
  });
});
