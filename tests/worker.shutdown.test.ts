/**
 * Graceful worker shutdown: a running operation is interrupted cleanly (stack lock released),
 * put back in the queue, and finished by the next worker without duplicate resources.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorker } from '../api/worker/worker.ts';
import { pulumiCliMissing, simDocuments } from './support/engine.ts';
import { testPlatform, type TestPlatform } from './support/services.ts';
import { waitForOperation } from './support/wait.ts';

describe.skipIf(pulumiCliMissing)('worker shutdown', () => {
  let p: TestPlatform;
  beforeAll(async () => {
    p = await testPlatform();
  });
  afterAll(() => p.close());

  it('interrupts a running create, releases the stack, and another worker completes it', async () => {
    const alice = await p.actor('alice', 'member', await p.team('payments'));
    fs.mkdirSync(p.config.simCloudDir, { recursive: true });
    fs.writeFileSync(path.join(p.config.simCloudDir, 'faults.json'), JSON.stringify({ latencyMs: { 'addon.create': 1500 } }));
    const first = await startWorker(p.services, p.services.queue, 1, { retries: 0, backoffMs: 100 });
    const { operation, cluster } = await p.caller(alice).clusters.create({ name: 'slow', template: 'sim-dev' });
    const db = p.services.db;
    for (let i = 0; ; i++) {
      const op = await db.selectFrom('operations').select(['status', 'step']).where('id', '=', operation.id).executeTakeFirstOrThrow();
      if (op.status === 'running' && op.step?.includes('addon-')) break;
      if (i > 600) throw new Error(`operation never reached the addons (${op.status}, ${op.step})`);
      await new Promise((r) => setTimeout(r, 50));
    }
    await first.stop();
    const interrupted = await db.selectFrom('operations').selectAll().where('id', '=', operation.id).executeTakeFirstOrThrow();
    expect(interrupted.status).toBe('queued');
    const lockDir = path.join(fileURLToPath(p.config.pulumiBackendUrl), '.pulumi', 'locks', 'organization', 'kaas', `kaas-${cluster.id}`);
    expect(fs.existsSync(lockDir) ? fs.readdirSync(lockDir).filter((f) => f.endsWith('.json')) : []).toEqual([]);

    fs.writeFileSync(path.join(p.config.simCloudDir, 'faults.json'), '{}');
    const second = await startWorker(p.services, p.services.queue, 1, { retries: 0, backoffMs: 100 });
    try {
      const done = await waitForOperation(db, operation.id, 90_000);
      expect(done.status).toBe('succeeded');
      expect(done.attempts).toBe(2);
      const ids = simDocuments(p.config.simCloudDir).map((d) => d.doc.id);
      expect(ids.length).toBe(5);
      expect(new Set(ids).size).toBe(5);
      const { events } = await p.caller(alice).clusters.events({ name: 'slow', operationId: operation.id, limit: 1000 });
      const messages = events.map((e) => (e.event.kind === 'message' ? e.event.message : '')).join('\n');
      expect(messages).toMatch(/interrupted: the worker is shutting down/);
      expect(messages).toMatch(/resuming after an interruption/);
    } finally {
      await second.stop();
    }
  });
});
