/**
 * Fleet campaigns with chained hops, health gates and preflight, end to end on the sim cloud
 * (API → campaign runner → worker → engine):
 * - clusters at three versions (1.31, 1.32, 1.33) move to 1.34, each through every hop, while one
 *   with a deprecated API in use for its next minor is shown `blocked` with the reason and never
 *   started, and the rest proceed;
 * - a canary whose upgrade succeeds but whose health gate fails (system pods crash-looping after
 *   the upgrade) halts the campaign before wave 2, with the failing check named.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../api/auth/tokens.ts';
import { startCampaignRunner, type CampaignRunner } from '../api/fleet/campaign-runner.ts';
import { startWorker, type Worker } from '../api/worker/worker.ts';
import { pulumiCliMissing, simDocuments } from './support/engine.ts';
import { waitForOperations, waitUntil } from './support/fleet.ts';
import { gatedSimTemplate } from './support/gated-template.ts';
import { testPlatform, type TestPlatform } from './support/services.ts';

describe.skipIf(pulumiCliMissing)('gated fleet campaigns on the sim cloud', () => {
  let p: TestPlatform;
  let admin: Actor;
  let worker: Worker;
  let runner: CampaignRunner;
  const ids = new Map<string, string>();
  const faults = (doc: unknown) => fs.writeFileSync(path.join(p.config.simCloudDir, 'faults.json'), JSON.stringify(doc));
  const status = (id: string) => () => p.caller(admin).fleet.status({ id });
  const docsOf = (name: string) => simDocuments(p.config.simCloudDir).map((d) => d.doc).filter((d) => d.tags['kaas-cluster-id'] === ids.get(name) && d.kind !== 'addon');

  // team chain: c31 (canary), c32, c33 and d32 (deprecated API in use) → 1.34; team gate: g1 (canary), g2, g3 at 1.33 → 1.34
  const fleet = [
    ['chain', 'c31', '1.31'], ['chain', 'c32', '1.32'], ['chain', 'c33', '1.33'], ['chain', 'd32', '1.32'],
    ['gate', 'g1', '1.33'], ['gate', 'g2', '1.33'], ['gate', 'g3', '1.33'],
  ] as const;

  beforeAll(async () => {
    p = await testPlatform();
    worker = await startWorker(p.services, p.services.queue, 4, { retries: 0, backoffMs: 100 });
    admin = await p.actor('root', 'platform-admin', null);
    await p.caller(admin).templates.publish({ yaml: gatedSimTemplate('sim-gated', 4) });
    for (const team of ['chain', 'gate']) await p.team(team, { maxClusters: 10 });
    const ops: string[] = [];
    for (const [team, name, version] of fleet) {
      const { cluster, operation } = await p.caller(admin).clusters.create({ team, name, template: 'sim-gated', set: [`kubernetesVersion=${version}`, 'nodeCount=1', 'addons.prometheus.enabled=false'] });
      ids.set(name, cluster.id);
      ops.push(operation.id);
    }
    await waitForOperations(p.services.db, ops, 400_000);
    runner = startCampaignRunner(p.services, { intervalMs: 100 });
  }, 420_000);

  afterAll(async () => {
    await runner?.stop();
    await worker?.stop();
    await p?.close();
  });

  it('chains hops for clusters at three versions; a cluster with a deprecated API in use is blocked with the reason and the rest proceed', async () => {
    faults({ preflight: [{ clusterId: ids.get('d32'), deprecatedApis: [{ group: 'flowcontrol.apiserver.k8s.io', version: 'v1beta3', resource: 'flowschemas', removedRelease: '1.32', source: 'sim' }, { group: 'autoscaling', version: 'v2beta2', resource: 'horizontalpodautoscalers', removedRelease: '1.33' }] }] });
    const plan = await p.caller(admin).fleet.plan({ targetVersion: '1.34', selector: { team: 'chain' }, waves: { canary: 1, percentages: [100] }, maxParallel: 3 });
    expect(plan.waves.map((w) => `${w.name}:${w.clusters.map((c) => `${c.name}(${c.hops.join('>')})`).join(',')}`)).toEqual(['canary:c31(1.32>1.33>1.34)', 'wave-1:c32(1.33>1.34),c33(1.34),d32(1.33>1.34)']);
    expect(plan.skipped).toEqual([]);

    await p.caller(admin).fleet.start({ name: 'chain-134', targetVersion: '1.34', selector: { team: 'chain' }, waves: { canary: 1, percentages: [100] }, maxParallel: 3, failureThreshold: 0 });
    const s = await waitUntil(status('chain-134'), (x) => x.campaign.status === 'completed' || x.campaign.status === 'halted', 'the chained campaign', 400_000);
    expect(s.campaign).toMatchObject({ status: 'completed', counts: { succeeded: 3, blocked: 1, failed: 0 } });
    const byName = Object.fromEntries(s.clusters.map((c) => [c.name, c]));
    for (const [name, steps] of [['c31', 5], ['c32', 4], ['c33', 3]] as const) {
      expect({ name, status: byName[name]!.status, version: byName[name]!.kubernetesVersion, step: byName[name]!.step }).toEqual({ name, status: 'succeeded', version: '1.34', step: `${steps}/${steps} done` });
      expect(byName[name]!.gates.every((g) => g.passed) && byName[name]!.gates.length === steps).toBe(true);
      expect(docsOf(name).map((d) => d.properties.kubernetesVersion)).toEqual(['1.34', '1.34', '1.34']);
    }
    expect(byName.d32).toMatchObject({ status: 'blocked', kubernetesVersion: '1.32', reason: expect.stringMatching(/^blocked before the hop to 1\.33: deprecated-api: flowcontrol/) });
    expect(byName.d32!.blockedReasons).toEqual([
      'deprecated-api: flowcontrol.apiserver.k8s.io/v1beta3 flowschemas is still requested and removed in 1.32 (sim); move its clients to the replacement API first',
      'deprecated-api: autoscaling/v2beta2 horizontalpodautoscalers is still requested and removed in 1.33 (sim); move its clients to the replacement API first',
    ]);
    // not started: nothing of it changed
    expect(docsOf('d32').map((d) => d.properties.kubernetesVersion)).toEqual(['1.32', '1.32', '1.32']);
    expect((await p.services.db.selectFrom('clusters').select('status').where('id', '=', ids.get('d32')!).executeTakeFirstOrThrow()).status).toBe('ready');
  }, 420_000);

  it('halts before wave 2 when the canary upgrades but fails its health gate, naming the check', async () => {
    faults({ health: [{ clusterId: ids.get('g1'), effect: 'unhealthy-after-upgrade', afterVersion: '1.33' }] });
    await p.caller(admin).fleet.start({ name: 'gate-134', targetVersion: '1.34', selector: { team: 'gate' }, waves: { canary: 1, percentages: [100] }, maxParallel: 2, failureThreshold: 0 });
    const s = await waitUntil(status('gate-134'), (x) => x.campaign.status === 'halted' && x.campaign.counts.upgrading === 0, 'the halt', 300_000);
    const g1 = s.clusters.find((c) => c.name === 'g1')!;
    expect(g1).toMatchObject({ status: 'failed', kubernetesVersion: '1.34', reason: expect.stringMatching(/^health gate after step 1\/3 \(control plane 1\.33 → 1\.34\) failed: addons-rolled-out: .*coredns.*; system-pods: crash-looping: kube-system\/coredns-0 \(CrashLoopBackOff, 5 restarts\)/) });
    expect(g1.gates).toEqual([expect.objectContaining({ afterStep: 0, passed: false, failing: expect.arrayContaining([expect.stringMatching(/^system-pods: crash-looping/)]) })]);
    expect(s.campaign.statusReason).toMatch(/1 cluster\(s\) failed, more than the failure threshold of 0/);
    expect(s.campaign.currentWave).toBe('canary');
    for (const name of ['g2', 'g3']) expect(s.clusters.find((c) => c.name === name)).toMatchObject({ status: 'pending', operationId: null, kubernetesVersion: '1.33' });
  }, 320_000);
});
