/**
 * Ordered deletion on the sim cloud: controller-owning addons first, then the other addons, the
 * node pools, the cluster and the stack; a leaked resource is reported; the record is kept.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../api/auth/tokens.ts';
import { SHIPPED_TEMPLATES_DIR } from '../api/bootstrap.ts';
import { startWorker, type Worker } from '../api/worker/worker.ts';
import { pulumiCliMissing, simDocuments } from './support/engine.ts';
import { testPlatform, type TestPlatform } from './support/services.ts';
import { waitForOperation } from './support/wait.ts';

/** sim-dev with one pool and the addons whose controllers own cloud resources switched on. */
const simEdge = fs
  .readFileSync(path.join(SHIPPED_TEMPLATES_DIR, 'sim-dev.yaml'), 'utf8')
  .replace(/^name: sim-dev$/m, 'name: sim-edge')
  .replace(/    - name: batch[\s\S]*?effect: NoSchedule }\n/, '')
  .replace('    prometheus: { enabled: true }\n', "    prometheus: { enabled: true }\n    external-dns: { enabled: true }\n    ingress: { enabled: true }\n");

describe.skipIf(pulumiCliMissing)('ordered cluster deletion on the sim cloud', () => {
  let p: TestPlatform;
  let worker: Worker;
  let alice: Actor;
  const cluster = (name: string) => p.services.db.selectFrom('clusters').selectAll().where('name', '=', name).orderBy('created_at', 'desc').executeTakeFirstOrThrow();
  const docsOf = (clusterId: string) => simDocuments(p.config.simCloudDir).map((d) => d.doc).filter((d) => d.tags['kaas-cluster-id'] === clusterId);
  const eventsOf = async (name: string, operationId: string) => (await p.caller(alice).clusters.events({ name, operationId, limit: 1000 })).events.map((e) => e.event);

  beforeAll(async () => {
    p = await testPlatform();
    worker = await startWorker(p.services, p.services.queue, 2, { retries: 0, backoffMs: 100 });
    const admin = await p.actor('root', 'platform-admin', null);
    await p.caller(admin).templates.publish({ yaml: simEdge });
    alice = await p.actor('alice', 'member', await p.team('payments'));
    const created = await Promise.all([
      p.caller(alice).clusters.create({ name: 'edge', template: 'sim-edge', set: ['nodeCount=1', 'addons.calico.enabled=false'] }),
      p.caller(alice).clusters.create({ name: 'leaky', template: 'sim-dev', set: ['nodeCount=1', 'addons.calico.enabled=false'] }),
    ]);
    for (const { operation } of created) expect((await waitForOperation(p.services.db, operation.id)).status).toBe('succeeded');
  });
  afterAll(async () => {
    await worker?.stop();
    await p?.close();
  });

  it('tears down in stages: controller-owning addons, other addons, node pools, cluster, stack', async () => {
    const row = await cluster('edge');
    expect(docsOf(row.id).map((d) => d.name).sort()).toEqual(['edge', 'external-dns', 'general', 'ingress', 'prometheus']);
    const { operation } = await p.caller(alice).clusters.delete({ name: 'edge', confirm: 'edge' });
    const done = await waitForOperation(p.services.db, operation!.id);
    expect(done.status).toBe('succeeded');
    const events = await eventsOf('edge', done.id);
    const stages = events.flatMap((e) => (e.kind === 'message' && e.message.startsWith('stage ') ? [e.message] : []));
    expect(stages).toEqual([
      expect.stringMatching(/^stage 1\/5 \(controller-addons\): .*: addon-external-dns, addon-ingress$/),
      expect.stringMatching(/^stage 2\/5 \(addons\): .*: addon-prometheus$/),
      expect.stringMatching(/^stage 3\/5 \(node-pools\): .*: pool-general$/),
      expect.stringMatching(/^stage 4\/5 \(cluster\): .*control-plane/),
      expect.stringMatching(/^stage 5\/5 \(stack\)/),
    ]);
    // the engine's own deletes happened in that order
    const deleted = events.flatMap((e) => (e.kind === 'step-started' && e.op === 'delete' && e.resource ? [e.resource] : []));
    const at = (name: string) => deleted.indexOf(name);
    expect(deleted).toEqual(expect.arrayContaining(['addon-external-dns', 'addon-ingress', 'addon-prometheus', 'pool-general', 'control-plane']));
    expect(Math.max(at('addon-external-dns'), at('addon-ingress'))).toBeLessThan(at('addon-prometheus'));
    expect(at('addon-prometheus')).toBeLessThan(at('pool-general'));
    expect(at('pool-general')).toBeLessThan(at('control-plane'));

    expect(docsOf(row.id)).toEqual([]);
    expect(await p.services.engine.stackExists(row.stack_name)).toBe(false);
    const after = await cluster('edge');
    expect(after).toMatchObject({ status: 'deleted', status_reason: null });
    expect(after.deleted_at).not.toBeNull();
    const history = await p.caller(alice).clusters.get({ name: 'edge', includeDeleted: true });
    expect(history.cluster.status).toBe('deleted');
    expect(history.operations.map((o) => o.kind)).toEqual(['delete', 'create']);
  });

  it('reports a resource the cloud failed to delete as a leak, and still ends deleted', async () => {
    const row = await cluster('leaky');
    fs.writeFileSync(path.join(p.config.simCloudDir, 'faults.json'), JSON.stringify({ failures: [{ kind: 'addon', op: 'delete', name: 'prometheus', effect: 'leak' }] }));
    const { operation } = await p.caller(alice).clusters.delete({ name: 'leaky', confirm: 'leaky' });
    const done = await waitForOperation(p.services.db, operation!.id);
    expect(done.status).toBe('succeeded');
    expect(done.result).toMatchObject({ leaks: [`addon-${row.id}-prometheus`] });
    const after = await cluster('leaky');
    expect(after.status).toBe('deleted');
    expect(after.status_reason).toBe(`deleted with leaks: addon-${row.id}-prometheus`);
    // the only document left in the whole sim cloud is the leaked one (the clean deletion left nothing)
    expect(simDocuments(p.config.simCloudDir).map((d) => d.doc.id)).toEqual([`addon-${row.id}-prometheus`]);
    const events = await eventsOf('leaky', done.id);
    expect(events.some((e) => e.kind === 'message' && e.severity === 'warning' && /deleted with leaks: 1 cloud resource/.test(e.message))).toBe(true);
  });
});
