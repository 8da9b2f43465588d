/**
 * One real sim-engine run of the lifetime rules: a cluster created with a ttl, hibernated to zero
 * nodes and woken to its recorded size by real update operations, then deleted at expiry by the
 * lifetime pass through the ordinary ordered delete (its stages in the operation's events).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../api/auth/tokens.ts';
import { SHIPPED_TEMPLATES_DIR } from '../api/bootstrap.ts';
import { runLifetimePass } from '../api/worker/lifetime-schedule.ts';
import { startWorker, type Worker } from '../api/worker/worker.ts';
import { pulumiCliMissing, simDocuments } from './support/engine.ts';
import { testPlatform, type TestPlatform } from './support/services.ts';
import { waitForOperation } from './support/wait.ts';

// sim-dev with one pool and a lifetime policy
const simTtl = fs
  .readFileSync(path.join(SHIPPED_TEMPLATES_DIR, 'sim-dev.yaml'), 'utf8')
  .replace(/^name: sim-dev$/m, 'name: sim-ttl')
  .replace(/    - name: batch[\s\S]*?effect: NoSchedule }\n/, '')
  .replace(/^spec:/m, 'ttl: { default: 1d, max: 2d }\nspec:');

describe.skipIf(pulumiCliMissing)('cluster lifetime on the sim cloud', () => {
  let p: TestPlatform;
  let worker: Worker;
  let alice: Actor;
  const poolDoc = (clusterId: string) => simDocuments(p.config.simCloudDir).map((d) => d.doc).find((d) => d.tags['kaas-cluster-id'] === clusterId && d.name === 'general');

  beforeAll(async () => {
    p = await testPlatform();
    worker = await startWorker(p.services, p.services.queue, 1, { retries: 0, backoffMs: 100 });
    const admin = await p.actor('root', 'platform-admin', null);
    await p.caller(admin).templates.publish({ yaml: simTtl });
    alice = await p.actor('alice', 'member', await p.team('payments'));
  });
  afterAll(async () => {
    await worker?.stop();
    await p?.close();
  });

  it('hibernates and wakes through real updates, and deletes at expiry through the ordered delete', async () => {
    const { cluster, operation } = await p.caller(alice).clusters.create({ name: 'short', template: 'sim-ttl', ttl: '1d', set: ['nodeCount=1', 'addons.calico.enabled=false', 'addons.prometheus.enabled=false'] });
    expect((await waitForOperation(p.services.db, operation.id)).status).toBe('succeeded');
    const sleep = await p.caller(alice).clusters.hibernate({ name: 'short' });
    expect((await waitForOperation(p.services.db, sleep.operation.id)).status).toBe('succeeded');
    const asleep = await p.caller(alice).clusters.get({ name: 'short' });
    expect([asleep.cluster.hibernated, asleep.cluster.nodeCount, asleep.cluster.spec.nodePools[0]!.desiredSize]).toEqual([true, 0, 0]);
    expect(JSON.stringify(poolDoc(cluster.id))).toMatch(/"desiredSize":0/);
    // the hibernate's run carries the hibernated flag to the program (stacks/program-for.ts): the
    // sim pool records it as the real clouds fix their pools at 0 (EKS desiredSize, GKE nodeCount)
    expect(poolDoc(cluster.id)?.properties).toMatchObject({ desiredSize: 0, minSize: 0, hibernated: true });
    // a drift check, then a reconcile (which re-applies the program) while hibernated run the same
    // hibernated program: the reconcile keeps the pool fixed at 0 (an awake program would hand it
    // back to the autoscaler, on GKE letting it grow again)
    const check = await p.caller(alice).clusters.drift({ name: 'short' });
    const checked = await waitForOperation(p.services.db, check.operation.id);
    expect([checked.status, (checked.result as { drifted: boolean }).drifted]).toEqual(['succeeded', false]);
    const fix = await p.caller(alice).clusters.reconcile({ name: 'short' });
    expect((await waitForOperation(p.services.db, fix.operation.id)).status).toBe('succeeded');
    expect(poolDoc(cluster.id)?.properties).toMatchObject({ desiredSize: 0, minSize: 0, hibernated: true });
    const wake = await p.caller(alice).clusters.wake({ name: 'short' });
    expect((await waitForOperation(p.services.db, wake.operation.id)).status).toBe('succeeded');
    const awake = await p.caller(alice).clusters.get({ name: 'short' });
    expect([awake.cluster.hibernated, awake.cluster.nodeCount, awake.cluster.spec.nodePools[0]!.minSize]).toEqual([false, 1, 1]);
    // the wake's run is not hibernated: the pool is the autoscaler's again, at its recorded size
    expect(poolDoc(cluster.id)?.properties).toMatchObject({ desiredSize: 1, minSize: 1 });
    expect(poolDoc(cluster.id)?.properties).not.toHaveProperty('hibernated');

    const expiry = new Date(awake.cluster.expiresAt!);
    const pass = await runLifetimePass(p.services, new Date(expiry.getTime() + 1000));
    expect(pass.expired.map((e) => e.cluster)).toEqual(['short']);
    const done = await waitForOperation(p.services.db, pass.expired[0]!.operationId!);
    expect([done.kind, done.status, done.actor]).toEqual(['delete', 'succeeded', 'system:ttl-reaper']);
    const events = (await p.caller(alice).clusters.events({ name: 'short', operationId: done.id, limit: 1000 })).events.map((e) => e.event);
    expect(events.some((e) => e.kind === 'message' && e.message.startsWith('stage 5/5 (stack)'))).toBe(true);
    expect(simDocuments(p.config.simCloudDir).filter((d) => d.doc.tags['kaas-cluster-id'] === cluster.id)).toEqual([]);
  });
});
