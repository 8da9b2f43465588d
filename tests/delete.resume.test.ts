/**
 * A delete interrupted after its last stage removed the stack, but before the operation was
 * recorded as done (a worker SIGKILLed there, or a transient failure retried), must finish on its
 * next run: the stack it removed itself is not "state missing". The fleet test under SIGKILL met
 * exactly this (CI: "delete failed: the state of stack … is not in this worker's Pulumi backend").
 * The delete records the stage it reached (operations.step_index) and resumes from it, as an
 * upgrade resumes from its step.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../api/auth/tokens.ts';
import { startWorker, type Worker } from '../api/worker/worker.ts';
import { EngineError } from '../stacks/engine/engine-error.ts';
import { pulumiCliMissing, simDocuments } from './support/engine.ts';
import { testPlatform, type TestPlatform } from './support/services.ts';
import { waitForOperation } from './support/wait.ts';

describe.skipIf(pulumiCliMissing)('a delete interrupted right after it removed the stack', () => {
  let p: TestPlatform;
  let worker: Worker;
  let alice: Actor;
  let removals = 0;

  beforeAll(async () => {
    p = await testPlatform();
    const engine = p.services.engine;
    // the real engine, except that its first stack removal is followed by a failure before the
    // worker hears of it (what a worker killed between `stack rm` and its database write leaves)
    const interrupting = new Proxy(engine, {
      get(target, prop, receiver) {
        if (prop === 'remove') {
          return async (stackName: string) => {
            await target.remove(stackName);
            if (++removals === 1) throw new EngineError('failed', 'connection reset while the stack was being removed');
          };
        }
        const value = Reflect.get(target, prop, receiver);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    worker = await startWorker({ ...p.services, engine: interrupting }, p.services.queue, 1, { retries: 1, backoffMs: 100 });
    alice = await p.actor('alice', 'member', await p.team('payments'));
    const { operation } = await p.caller(alice).clusters.create({ name: 'gone', template: 'sim-dev', set: ['nodeCount=1', 'addons.calico.enabled=false'] });
    expect((await waitForOperation(p.services.db, operation.id)).status).toBe('succeeded');
  });
  afterAll(async () => {
    await worker?.stop();
    await p?.close();
  });

  it('finishes on its retry: the cluster ends deleted, its cloud resources gone', async () => {
    const row = await p.services.db.selectFrom('clusters').selectAll().where('name', '=', 'gone').executeTakeFirstOrThrow();
    const { operation } = await p.caller(alice).clusters.delete({ name: 'gone', confirm: 'gone' });
    const done = await waitForOperation(p.services.db, operation!.id);
    expect(done.error ?? null).toBeNull();
    expect(done.status).toBe('succeeded');
    expect(removals).toBe(2);
    const after = await p.services.db.selectFrom('clusters').selectAll().where('id', '=', row.id).executeTakeFirstOrThrow();
    expect(after.status).toBe('deleted');
    expect(simDocuments(p.config.simCloudDir).filter((d) => d.doc.tags['kaas-cluster-id'] === row.id)).toEqual([]);
    const events = (await p.caller(alice).clusters.events({ name: 'gone', operationId: done.id, limit: 1000 })).events.map((e) => e.event);
    const messages = events.flatMap((e) => (e.kind === 'message' ? [e.message] : []));
    expect(messages).toContainEqual(expect.stringMatching(/resuming the delete at stage 5\/5 \(stack\)/));
  });
});
