/**
 * Cluster upgrades as recorded plan steps, run by the worker on the sim cloud: a 1.31 → 1.33
 * upgrade in order (control plane before node pools, per hop), plans only, refused plans, and a
 * failed node pool step that keeps the completed steps and is resumed from where it stopped.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../api/auth/tokens.ts';
import { startOperation } from '../api/clusters/start-operation.ts';
import { startWorker, type Worker } from '../api/worker/worker.ts';
import { pulumiCliMissing, simDocuments } from './support/engine.ts';
import { expectTrpcError } from './support/errors.ts';
import { testPlatform, type TestPlatform } from './support/services.ts';
import { waitForOperation } from './support/wait.ts';

const OLD = ['kubernetesVersion=1.31', 'nodeCount=1', 'addons.prometheus.enabled=false'];

describe.skipIf(pulumiCliMissing)('cluster upgrades on the sim cloud', () => {
  let p: TestPlatform;
  let worker: Worker;
  let alice: Actor;
  const cluster = (name: string) => p.services.db.selectFrom('clusters').selectAll().where('name', '=', name).orderBy('created_at', 'desc').executeTakeFirstOrThrow();
  const docsOf = (clusterId: string) => simDocuments(p.config.simCloudDir).map((d) => d.doc).filter((d) => d.tags['kaas-cluster-id'] === clusterId);
  const operationCount = async (clusterId: string) => (await p.services.db.selectFrom('operations').select('id').where('cluster_id', '=', clusterId).execute()).length;
  const messages = async (name: string, operationId: string) =>
    (await p.caller(alice).clusters.events({ name, operationId, limit: 1000 })).events.flatMap((e) => (e.event.kind === 'message' ? [e.event.message] : []));
  const updatedResources = async (name: string, operationId: string) =>
    (await p.caller(alice).clusters.events({ name, operationId, limit: 1000 })).events.flatMap((e) => (e.event.kind === 'step-started' && e.event.op === 'update' ? [e.event.resource] : []));

  beforeAll(async () => {
    p = await testPlatform();
    worker = await startWorker(p.services, p.services.queue, 2, { retries: 0, backoffMs: 100 });
    alice = await p.actor('alice', 'member', await p.team('payments'));
    const created = await Promise.all(['steady', 'flaky'].map((name) => p.caller(alice).clusters.create({ name, template: 'sim-dev', set: OLD })));
    for (const { operation } of created) expect((await waitForOperation(p.services.db, operation.id)).status).toBe('succeeded');
  });
  afterAll(async () => {
    await worker?.stop();
    await p?.close();
  });

  it('returns the plan with planOnly and changes nothing', async () => {
    const row = await cluster('steady');
    const before = await operationCount(row.id);
    const { plan, operation } = await p.caller(alice).clusters.upgrade({ name: 'steady', to: '1.33', planOnly: true });
    expect(operation).toBeNull();
    expect(plan.hops).toEqual(['1.32', '1.33']);
    // sim allows kubelets three minors behind: the pools are rolled once, at the end
    expect(plan.steps.map((s) => `${s.kind} ${'pool' in s ? s.pool + ' ' : ''}${s.to}`)).toEqual([
      'control-plane 1.32',
      'control-plane 1.33',
      'node-pool general 1.33',
      'node-pool batch 1.33',
    ]);
    expect(await operationCount(row.id)).toBe(before);
    expect((await cluster('steady')).kubernetes_version).toBe('1.31');
  });

  it('refuses impossible plans with their reasons and queues nothing', async () => {
    const row = await cluster('steady');
    const before = await operationCount(row.id);
    await expectTrpcError(p.caller(alice).clusters.upgrade({ name: 'steady', to: '1.30' }), 'BAD_REQUEST', /1\.30 is older than the current 1\.31; downgrades are not supported/);
    await expectTrpcError(p.caller(alice).clusters.upgrade({ name: 'steady', to: '1.35' }), 'BAD_REQUEST', /1\.35 is not supported on sim/);
    await expectTrpcError(p.caller(alice).clusters.upgrade({ name: 'steady', to: '1.31' }), 'BAD_REQUEST', /already at 1\.31/);
    await expectTrpcError(p.caller(alice).clusters.upgrade({ name: 'steady', resume: true }), 'PRECONDITION_FAILED', /no failed upgrade to resume/);
    expect(await operationCount(row.id)).toBe(before);
  });

  it('upgrades 1.31 → 1.33 as chained steps, control plane one minor per step, pools rolled once at the end', async () => {
    const row = await cluster('steady');
    const { operation } = await p.caller(alice).clusters.upgrade({ name: 'steady', to: '1.33' });
    const done = await waitForOperation(p.services.db, operation!.id);
    expect(done.status).toBe('succeeded');
    expect(done.step_index).toBe(4);
    expect((await messages('steady', done.id)).filter((m) => m.startsWith('step '))).toEqual([
      'step 1/4: control plane 1.31 → 1.32',
      'step 2/4: control plane 1.32 → 1.33',
      'step 3/4: node pool general 1.31 → 1.33',
      'step 4/4: node pool batch 1.31 → 1.33',
    ]);
    // what the engine did, in order: one resource per step
    expect(await updatedResources('steady', done.id)).toEqual(['control-plane', 'control-plane', 'pool-general', 'pool-batch']);
    const docs = docsOf(row.id);
    expect(docs.filter((d) => d.kind !== 'addon').map((d) => d.properties.kubernetesVersion)).toEqual(['1.33', '1.33', '1.33']);
    const controlPlane = docs.find((d) => d.kind === 'cluster');
    for (const pool of docs.filter((d) => d.kind === 'nodepool')) expect(Date.parse(pool.updatedAt)).toBeGreaterThanOrEqual(Date.parse(controlPlane.updatedAt));
    const after = await cluster('steady');
    expect(after).toMatchObject({ status: 'ready', kubernetes_version: '1.33', overrides: expect.objectContaining({ kubernetesVersion: '1.33' }) });
    expect((after.spec as { nodePools: { kubernetesVersion?: string }[] }).nodePools.map((np) => np.kubernetesVersion)).toEqual([undefined, undefined]);
  });

  it('runs an upgrade started with only { toVersion, campaignId } (fleet campaigns), planning it in the worker', async () => {
    const row = await cluster('steady');
    const op = await startOperation(p.services, row, 'upgrade', alice, 'campaign-test', { toVersion: '1.34', campaignId: 'camp-1' });
    const done = await waitForOperation(p.services.db, op.id);
    expect(done.status).toBe('succeeded');
    expect(done.result).toMatchObject({ toVersion: '1.34', campaignId: 'camp-1', completedSteps: 3, plan: { from: '1.33', to: '1.34', hops: ['1.34'] } });
    expect(await updatedResources('steady', done.id)).toEqual(['control-plane', 'pool-general', 'pool-batch']);
    expect((await cluster('steady')).kubernetes_version).toBe('1.34');
  });

  it('stops at a failed node pool step with earlier steps kept, and resumes from that step', async () => {
    const row = await cluster('flaky');
    fs.writeFileSync(path.join(p.config.simCloudDir, 'faults.json'), JSON.stringify({ failures: [{ kind: 'nodepool', op: 'update', clusterId: row.id, name: 'batch', times: 1, message: 'sim: node pool drain timed out' }] }));
    const { operation } = await p.caller(alice).clusters.upgrade({ name: 'flaky', to: '1.33' });
    const failed = await waitForOperation(p.services.db, operation!.id);
    expect(failed.status).toBe('failed');
    expect(failed.step_index).toBe(3);
    const broken = await cluster('flaky');
    expect(broken.status).toBe('failed');
    expect(broken.status_reason).toMatch(/step 4\/4 \(node pool batch 1\.31 → 1\.33\) failed: .*drain timed out/);
    expect(broken.kubernetes_version).toBe('1.33');
    const versions = () => Object.fromEntries(docsOf(row.id).filter((d) => d.kind !== 'addon').map((d) => [d.name, d.properties.kubernetesVersion]));
    expect(versions()).toEqual({ flaky: '1.33', general: '1.33', batch: '1.31' });

    const { operation: resumed, startAt } = await p.caller(alice).clusters.upgrade({ name: 'flaky', resume: true });
    expect(startAt).toBe(3);
    const done = await waitForOperation(p.services.db, resumed!.id);
    expect(done.status).toBe('succeeded');
    expect((await messages('flaky', done.id)).filter((m) => m.startsWith('step '))).toEqual(['step 4/4: node pool batch 1.31 → 1.33']);
    expect(await updatedResources('flaky', done.id)).toEqual(['pool-batch']);
    expect(versions()).toEqual({ flaky: '1.33', general: '1.33', batch: '1.33' });
    expect(await cluster('flaky')).toMatchObject({ status: 'ready', status_reason: null, kubernetes_version: '1.33' });
  });
});
