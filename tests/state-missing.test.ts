/**
 * A cluster that was applied has state in the fleet's Pulumi backend. A worker whose backend lacks
 * that stack (another KAAS_HOME, another bucket, a restored backup) must fail the operation with
 * an error naming the backend — it reported "nothing to remove" and ended `deleted` with the
 * cloud resources left behind, and a drift check reported no drift.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../api/auth/tokens.ts';
import { startWorker, type Worker } from '../api/worker/worker.ts';
import { pulumiCliMissing, simDocuments } from './support/engine.ts';
import { testPlatform, type TestPlatform } from './support/services.ts';
import { waitForOperation } from './support/wait.ts';

describe.skipIf(pulumiCliMissing)('an applied cluster whose stack is missing from the backend', () => {
  let p: TestPlatform;
  let worker: Worker;
  let alice: Actor;
  let clusterId = '';
  const docs = () => simDocuments(p.config.simCloudDir).map((d) => d.doc).filter((d) => d.tags['kaas-cluster-id'] === clusterId);

  beforeAll(async () => {
    p = await testPlatform();
    worker = await startWorker(p.services, p.services.queue, 1, { retries: 0, backoffMs: 100 });
    alice = await p.actor('alice', 'member', await p.team('payments'));
    const { cluster, operation } = await p.caller(alice).clusters.create({ name: 'split', template: 'sim-dev', set: ['nodeCount=1', 'addons.calico.enabled=false'] });
    expect((await waitForOperation(p.services.db, operation.id)).status).toBe('succeeded');
    clusterId = cluster.id;
    // the stack's state is not in this backend (as for a worker started with another KAAS_HOME)
    const stacksDir = path.join(p.home, 'state', '.pulumi', 'stacks');
    fs.renameSync(stacksDir, `${stacksDir}.elsewhere`);
  });
  afterAll(async () => {
    await worker?.stop();
    await p?.close();
  });

  it('a drift check fails naming the backend instead of reporting no drift', async () => {
    const { operation } = await p.caller(alice).clusters.drift({ name: 'split' });
    const done = await waitForOperation(p.services.db, operation.id);
    expect(done.status).toBe('failed');
    expect(done.error).toMatch(/state of stack .* is not in this worker's Pulumi backend/);
  });

  it('a delete fails, keeps the record and leaves the resources to a worker that has the state', async () => {
    const before = docs().length;
    expect(before).toBeGreaterThan(0);
    const { operation } = await p.caller(alice).clusters.delete({ name: 'split', confirm: 'split' });
    const done = await waitForOperation(p.services.db, operation!.id);
    expect(done.status).toBe('failed');
    expect(done.error).toMatch(/KAAS_PULUMI_BACKEND/);
    expect(docs().length).toBe(before);
    const row = await p.services.db.selectFrom('clusters').selectAll().where('id', '=', clusterId).executeTakeFirstOrThrow();
    expect(row.status).toBe('failed');
    expect(row.deleted_at).toBeNull();
  });
});
