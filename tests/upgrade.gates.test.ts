/**
 * Upgrades with health gates and preflight, end to end on the sim cloud (API → worker → engine):
 * 1.31 → 1.34 as three control-plane steps and one roll of each pool, each step gated; a gate that
 * fails (a node not Ready) stops the upgrade naming the check and is re-run on resume; a
 * deprecated API removed in the next minor blocks the hop (needs_approval, nothing changed), the
 * plan shows it, and `force` asks for an approval of exactly those reasons, which someone other
 * than the requester gives.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../api/auth/tokens.ts';
import type { UpgradeProgress } from '../api/clusters/upgrade-input.ts';
import { startWorker, type Worker } from '../api/worker/worker.ts';
import { pulumiCliMissing, simDocuments } from './support/engine.ts';
import { expectTrpcError } from './support/errors.ts';
import { gatedSimTemplate } from './support/gated-template.ts';
import { testPlatform, type TestPlatform } from './support/services.ts';
import { waitForOperation } from './support/wait.ts';

describe.skipIf(pulumiCliMissing)('gated upgrades on the sim cloud', () => {
  let p: TestPlatform;
  let worker: Worker;
  let alice: Actor;
  let carol: Actor;
  const ids = new Map<string, string>();
  const faults = (doc: unknown) => fs.writeFileSync(path.join(p.config.simCloudDir, 'faults.json'), JSON.stringify(doc));
  const cluster = (name: string) => p.services.db.selectFrom('clusters').selectAll().where('name', '=', name).executeTakeFirstOrThrow();
  const versions = (name: string) =>
    Object.fromEntries(simDocuments(p.config.simCloudDir).map((d) => d.doc).filter((d) => d.tags['kaas-cluster-id'] === ids.get(name) && d.kind !== 'addon').map((d) => [d.kind === 'cluster' ? 'control-plane' : d.name, d.properties.kubernetesVersion]));
  const events = async (name: string, operationId: string) => (await p.caller(alice).clusters.events({ name, operationId, limit: 1000 })).events.map((e) => e.event);
  const updated = async (name: string, operationId: string) => (await events(name, operationId)).flatMap((e) => (e.kind === 'step-started' && e.op === 'update' ? [e.resource] : []));

  beforeAll(async () => {
    p = await testPlatform();
    worker = await startWorker(p.services, p.services.queue, 3, { retries: 0, backoffMs: 100 });
    const admin = await p.actor('root', 'platform-admin', null);
    await p.caller(admin).templates.publish({ yaml: gatedSimTemplate('sim-gated', 4) });
    const payments = await p.team('payments');
    alice = await p.actor('alice', 'member', payments);
    carol = await p.actor('carol', 'team-admin', payments);
    const created = await Promise.all(
      [['long', '1.31'], ['sick', '1.32'], ['legacy', '1.32']].map(([name, v]) => p.caller(alice).clusters.create({ name: name!, template: 'sim-gated', set: [`kubernetesVersion=${v}`, 'nodeCount=1', 'addons.prometheus.enabled=false'] })),
    );
    for (const { cluster: c, operation } of created) {
      ids.set(c.name, c.id);
      expect((await waitForOperation(p.services.db, operation.id)).status).toBe('succeeded');
    }
  }, 300_000);
  afterAll(async () => {
    await worker?.stop();
    await p?.close();
  });

  it('upgrades 1.31 → 1.34 as three control-plane steps and one roll of each pool, with a passing gate after each step', async () => {
    const { plan, checks } = await p.caller(alice).clusters.upgrade({ name: 'long', to: '1.34', planOnly: true });
    expect(plan.steps.map((s) => `${s.kind} ${'pool' in s ? `${s.pool} ` : ''}${s.from}->${s.to}`)).toEqual([
      'control-plane 1.31->1.32', 'control-plane 1.32->1.33', 'control-plane 1.33->1.34', 'node-pool general 1.31->1.34', 'node-pool batch 1.31->1.34',
    ]);
    expect(checks.gates).toEqual({ checks: ['api-server', 'nodes-ready', 'addons-rolled-out', 'system-pods'], afterSteps: [0, 1, 2, 3, 4], timeoutSeconds: 4 });
    expect(checks.preflight.flatMap((pt) => pt.blockers)).toEqual([]);
    expect(checks.notes.join(' ')).toMatch(/control planes cannot be downgraded on managed clouds/);

    const { operation } = await p.caller(alice).clusters.upgrade({ name: 'long', to: '1.34' });
    const done = await waitForOperation(p.services.db, operation!.id);
    expect(done.status).toBe('succeeded');
    expect(await updated('long', done.id)).toEqual(['control-plane', 'control-plane', 'control-plane', 'pool-general', 'pool-batch']);
    const result = done.result as UpgradeProgress;
    expect(result.gates!.map((g) => `${g.afterStep}:${g.passed}`)).toEqual(['0:true', '1:true', '2:true', '3:true', '4:true']);
    expect(result.gates![0]!.results.map((r) => r.check)).toEqual(['api-server', 'nodes-ready', 'addons-rolled-out', 'system-pods']);
    expect(versions('long')).toEqual({ 'control-plane': '1.34', general: '1.34', batch: '1.34' });
    expect(await cluster('long')).toMatchObject({ status: 'ready', kubernetes_version: '1.34' });
  }, 300_000);

  it('stops at a failed gate naming the check, keeps the applied step, and re-runs the gate on resume', async () => {
    faults({ health: [{ clusterId: ids.get('sick'), effect: 'node-not-ready', pool: 'general', afterVersion: '1.32' }] });
    const { operation } = await p.caller(alice).clusters.upgrade({ name: 'sick', to: '1.33' });
    const failed = await waitForOperation(p.services.db, operation!.id);
    expect(failed.status).toBe('failed');
    // kube-proxy on the NotReady node is not ready either
    expect(failed.error).toMatch(/^health gate after step 1\/3 \(control plane 1\.32 → 1\.33\) failed: nodes-ready: nodes not Ready: general-0; addons-rolled-out: not rolled out: DaemonSet kube-system\/kube-proxy \(0\/1 ready, 1 updated\)/);
    expect(await cluster('sick')).toMatchObject({ status: 'failed', kubernetes_version: '1.33', status_reason: expect.stringContaining('nodes-ready: nodes not Ready: general-0') });
    expect(versions('sick')).toEqual({ 'control-plane': '1.33', general: '1.32', batch: '1.32' });

    faults({});
    const { operation: resumed } = await p.caller(alice).clusters.upgrade({ name: 'sick', resume: true });
    const done = await waitForOperation(p.services.db, resumed!.id);
    expect(done.status).toBe('succeeded');
    expect((done.result as UpgradeProgress).gates!.map((g) => `${g.afterStep}:${g.passed}`)).toEqual(['0:true', '1:true', '2:true']);
    expect((await events('sick', done.id)).flatMap((e) => (e.kind === 'message' ? [e.message] : [])).filter((m) => m.startsWith('step 1/3') || m.startsWith('health gate after step 1/3'))).toEqual([
      'step 1/3: control plane 1.32 → 1.33 (already done)',
      expect.stringMatching(/^health gate after step 1\/3 passed/),
    ]);
    expect(versions('sick')).toEqual({ 'control-plane': '1.33', general: '1.33', batch: '1.33' });
  }, 300_000);

  it('blocks a hop to the minor that removes an API still in use, shows it in the plan, and goes on only with --force', async () => {
    const api = { group: 'flowcontrol.apiserver.k8s.io', version: 'v1beta3', resource: 'flowschemas', removedRelease: '1.33', source: 'apiserver_requested_deprecated_apis' };
    faults({ preflight: [{ clusterId: ids.get('legacy'), deprecatedApis: [api], blockingPdbs: [{ namespace: 'shop', name: 'db', disruptionsAllowed: 0 }] }] });
    const { checks } = await p.caller(alice).clusters.upgrade({ name: 'legacy', to: '1.33', planOnly: true });
    expect(checks.preflight.map((pt) => `${pt.beforeStep}:${pt.blockers.map((b) => b.check).join(',')}`)).toEqual(['0:deprecated-api', '1:deprecated-api,pod-disruption-budget']);

    await expectTrpcError(p.caller(alice).clusters.upgrade({ name: 'legacy', to: '1.33', force: true }), 'PRECONDITION_FAILED', /--force approves the reasons a blocked upgrade .* listed, and it has none/);
    const { operation } = await p.caller(alice).clusters.upgrade({ name: 'legacy', to: '1.33' });
    const blocked = await waitForOperation(p.services.db, operation!.id);
    expect(blocked.status).toBe('needs_approval');
    expect((blocked.result as UpgradeProgress).blocked).toEqual({
      beforeStep: 0,
      nextMinor: '1.33',
      blockers: [{ check: 'deprecated-api', message: 'flowcontrol.apiserver.k8s.io/v1beta3 flowschemas is still requested and removed in 1.33 (apiserver_requested_deprecated_apis); move its clients to the replacement API first' }],
    });
    expect(await updated('legacy', blocked.id)).toEqual([]);
    expect(versions('legacy')).toEqual({ 'control-plane': '1.32', general: '1.32', batch: '1.32' });
    expect(await cluster('legacy')).toMatchObject({ status: 'ready', kubernetes_version: '1.32' });

    // approving the deprecated API does not approve the PDB the pool roll then meets
    const asked = await p.caller(alice).clusters.upgrade({ name: 'legacy', force: true });
    expect(asked).toMatchObject({ operation: null, approval: { action: 'forced-upgrade', status: 'pending', requester: 'alice' } });
    await expectTrpcError(p.caller(alice).approvals.approve({ id: asked.approval!.id }), 'FORBIDDEN', /cannot approve their own request/);
    const { approval } = await p.caller(carol).approvals.approve({ id: asked.approval!.id });
    const forced = await p.services.db.selectFrom('operations').selectAll().where('id', '=', approval.startedOperationId!).executeTakeFirstOrThrow();
    expect(forced.input).toMatchObject({ toVersion: '1.33', force: { approvedOperation: blocked.id, approvedBy: 'carol', reasons: [expect.stringContaining('flowschemas')] } });
    const stopped = await waitForOperation(p.services.db, forced.id);
    expect(stopped.status).toBe('needs_approval');
    expect((stopped.result as UpgradeProgress).blocked!.blockers.map((b) => b.check)).toEqual(['pod-disruption-budget']);
    expect(versions('legacy')).toEqual({ 'control-plane': '1.33', general: '1.32', batch: '1.32' });

    faults({});
    const { operation: last } = await p.caller(alice).clusters.upgrade({ name: 'legacy', to: '1.33' });
    expect((await waitForOperation(p.services.db, last!.id)).status).toBe('succeeded');
    expect(versions('legacy')).toEqual({ 'control-plane': '1.33', general: '1.33', batch: '1.33' });
  }, 300_000);
});
