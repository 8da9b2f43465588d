/**
 * The worker driving real operations through the engine on the sim cloud: create → ready,
 * update, drift check, reconcile, a failed operation and its retry, delete → deleted and empty.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../api/auth/tokens.ts';
import { startWorker, type Worker } from '../api/worker/worker.ts';
import { pulumiCliMissing, simDocuments } from './support/engine.ts';
import { testPlatform, type TestPlatform } from './support/services.ts';
import { waitForOperation } from './support/wait.ts';

describe.skipIf(pulumiCliMissing)('operations run by the worker on the sim cloud', () => {
  let p: TestPlatform;
  let worker: Worker;
  let alice: Actor;
  let carol: Actor;
  const cloudDir = () => p.config.simCloudDir;
  const cluster = (name: string) => p.services.db.selectFrom('clusters').selectAll().where('name', '=', name).orderBy('created_at', 'desc').executeTakeFirstOrThrow();

  beforeAll(async () => {
    p = await testPlatform();
    worker = await startWorker(p.services, p.services.queue, 2, { retries: 0, backoffMs: 100 });
    const payments = await p.team('payments');
    alice = await p.actor('alice', 'member', payments);
    carol = await p.actor('carol', 'team-admin', payments);
  });
  afterAll(async () => {
    await worker.stop();
    await p.close();
  });

  it('creates a cluster to ready with outputs and an event log', async () => {
    const { operation } = await p.caller(alice).clusters.create({ name: 'web', template: 'sim-dev', set: ['nodeCount=2'] });
    const done = await waitForOperation(p.services.db, operation.id);
    expect(done.status).toBe('succeeded');
    const row = await cluster('web');
    expect(row.status).toBe('ready');
    expect(row.outputs).toMatchObject({ simulated: true, kubeconfig: '[secret]' });
    expect(simDocuments(cloudDir()).filter((d) => d.doc.tags['kaas-cluster-id'] === row.id).length).toBe(5);
    const { events } = await p.caller(alice).clusters.events({ name: 'web', operationId: operation.id });
    expect(events.map((e) => e.event.kind)).toContain('summary');
    expect(events.some((e) => e.event.kind === 'message' && /simulated/.test(e.event.message ?? ''))).toBe(true);
    const { kubeconfig, simulated } = await p.caller(alice).clusters.kubeconfig({ name: 'web' });
    expect(simulated).toBe(true);
    expect(kubeconfig).toContain('SIMULATED');
  });

  it('refuses a second operation while one is active', async () => {
    const { operation } = await p.caller(alice).clusters.update({ name: 'web', set: ['nodePools.general.desiredSize=3'] });
    await expect(p.caller(alice).clusters.update({ name: 'web', set: ['nodePools.general.desiredSize=4'] })).rejects.toThrow(/already has an operation in progress/);
    expect((await waitForOperation(p.services.db, operation.id)).status).toBe('succeeded');
    const row = await cluster('web');
    expect(row.node_count).toBe(3);
    const doc = simDocuments(cloudDir()).find((d) => d.doc.id === `nodepool-${row.id}-general`)!.doc;
    expect(doc.properties.desiredSize).toBe(3);
  });

  it('plans without changing anything', async () => {
    const { operation } = await p.caller(alice).clusters.plan({ name: 'web', set: ['nodePools.general.desiredSize=5'] });
    const done = await waitForOperation(p.services.db, operation.id);
    expect(done.result).toMatchObject({ changes: expect.objectContaining({ update: 1 }), steps: [expect.objectContaining({ op: 'update', resource: 'pool-general', diffs: ['properties.desiredSize'] })] });
    expect((await cluster('web')).node_count).toBe(3);
  });

  it('finds drift after an out-of-band edit and clears it by reconcile', async () => {
    const row = await cluster('web');
    const { file, doc } = simDocuments(cloudDir()).find((d) => d.doc.id === `nodepool-${row.id}-general`)!;
    fs.writeFileSync(file, JSON.stringify({ ...doc, properties: { ...doc.properties, machineType: 'sim.huge' } }));
    const { operation: refresh } = await p.caller(alice).clusters.drift({ name: 'web' });
    await waitForOperation(p.services.db, refresh.id);
    const drifted = await cluster('web');
    expect(drifted.drift).toMatchObject({ drifted: true, resources: [expect.objectContaining({ resource: 'pool-general', fields: ['properties.machineType'] })] });
    expect(drifted.status).toBe('ready');
    // putting the machine type back replaces the pool: that needs someone else's approval
    const { operation: refused } = await p.caller(alice).clusters.reconcile({ name: 'web' });
    const stopped = await waitForOperation(p.services.db, refused.id);
    expect(stopped.status).toBe('needs_approval'); // not succeeded: nothing was applied
    expect(stopped.result).toMatchObject({ applied: false, needsApproval: true, destructive: ['replace pool-general'], approval: expect.stringMatching(/^a/) });
    expect(JSON.parse(fs.readFileSync(file, 'utf8')).properties.machineType).toBe('sim.huge');
    expect((await cluster('web')).status).toBe('ready');
    const approvalId = (stopped.result as { approval: string }).approval;
    await expect(p.caller(alice).approvals.approve({ id: approvalId })).rejects.toThrow(/cannot approve their own request/);
    const { approval } = await p.caller(carol).approvals.approve({ id: approvalId });
    expect(approval).toMatchObject({ status: 'approved', startedOperationId: expect.stringMatching(/^o/) });
    expect((await waitForOperation(p.services.db, approval.startedOperationId!)).result).toMatchObject({ applied: true });
    expect(JSON.parse(fs.readFileSync(file, 'utf8')).properties.machineType).toBe('sim.small');
    expect((await cluster('web')).drift).toBeNull();
  });

  it('marks the cluster failed with the reason when the cloud fails, and a retry recovers it', async () => {
    fs.writeFileSync(path.join(cloudDir(), 'faults.json'), JSON.stringify({ failures: [{ kind: 'nodepool', op: 'create', name: 'batch', times: 1, message: 'sim: capacity exhausted in zone local-a' }] }));
    const { operation } = await p.caller(alice).clusters.create({ name: 'flaky', template: 'sim-dev' });
    const failed = await waitForOperation(p.services.db, operation.id);
    expect(failed.status).toBe('failed');
    expect(failed.error).toContain('capacity exhausted');
    const row = await cluster('flaky');
    expect(row.status).toBe('failed');
    expect(row.status_reason).toContain('capacity exhausted');
    await expect(p.caller(alice).clusters.update({ name: 'flaky', set: ['nodePools.general.desiredSize=1'] })).rejects.toThrow();
    const { operation: retry } = await p.caller(alice).clusters.retry({ name: 'flaky' });
    expect((await waitForOperation(p.services.db, retry.id)).status).toBe('succeeded');
    expect((await cluster('flaky')).status).toBe('ready');
  });

  it('deletes only with confirmation, keeps the record, and leaves the sim cloud empty', async () => {
    await expect(p.caller(alice).clusters.delete({ name: 'web', confirm: 'wbe' })).rejects.toThrow(/--confirm must repeat the cluster name "web"/);
    for (const name of ['web', 'flaky']) {
      const { operation } = await p.caller(alice).clusters.delete({ name, confirm: name });
      expect((await waitForOperation(p.services.db, operation!.id)).status).toBe('succeeded');
      const row = await cluster(name);
      expect(row.status).toBe('deleted');
      expect(row.deleted_at).not.toBeNull();
    }
    expect(simDocuments(cloudDir())).toEqual([]);
    await expect(p.caller(alice).clusters.get({ name: 'web' })).rejects.toThrow(/does not exist/);
    const history = await p.caller(alice).clusters.get({ name: 'web', includeDeleted: true });
    expect(history.operations.map((o) => o.kind)).toEqual(['delete', 'reconcile', 'reconcile', 'refresh', 'preview', 'update', 'create']);
  });
});
