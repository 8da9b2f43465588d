/**
 * A fleet upgrade campaign end to end on the sim cloud, with the real engine and worker: 22
 * clusters on three Kubernetes versions; a canary and two waves with approval between them; an
 * injected node-pool failure that halts the campaign at its threshold, then resume; a maintenance
 * window respected under an injected clock; a platform restart (runner and worker) mid-campaign;
 * a cluster deleted mid-campaign (shown as deleted) and one created after start (not included).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../api/auth/tokens.ts';
import { startCampaignRunner, type CampaignRunner } from '../api/fleet/campaign-runner.ts';
import { startWorker, type Worker } from '../api/worker/worker.ts';
import { pulumiCliMissing, simDocuments } from './support/engine.ts';
import { waitForOperations, waitUntil } from './support/fleet.ts';
import { testPlatform, type TestPlatform } from './support/services.ts';

// Wednesday noon UTC; the windowed cluster opens on Saturdays 02:00–06:00 UTC.
const WEDNESDAY = Date.parse('2025-06-11T12:00:00Z');
const SATURDAY = Date.parse('2025-06-14T03:00:00Z');
const RUN = { retries: 0, backoffMs: 100 };

describe.skipIf(pulumiCliMissing)('a fleet upgrade campaign on the sim cloud', () => {
  let p: TestPlatform;
  let admin: Actor;
  let lead: Actor;
  let worker: Worker;
  let runner: CampaignRunner;
  let clockBase = WEDNESDAY;
  const t0 = Date.now();
  const clock = () => new Date(clockBase + (Date.now() - t0));
  const ids = new Map<string, string>();

  // a01..a13 at 1.32 move to 1.33 (a01 canary, a02–a06 wave-1, a07–a13 wave-2); b01–b05 at 1.34
  // are newer (chained hops from older versions: tests/fleet.gates.e2e.test.ts); c01–c04 are already at 1.33
  const fleet = [
    ...Array.from({ length: 13 }, (_, i) => ({ team: 'alpha', name: `a${String(i + 1).padStart(2, '0')}`, version: '1.32' })),
    ...Array.from({ length: 5 }, (_, i) => ({ team: 'beta', name: `b${String(i + 1).padStart(2, '0')}`, version: '1.34' })),
    ...Array.from({ length: 4 }, (_, i) => ({ team: 'gamma', name: `c${String(i + 1).padStart(2, '0')}`, version: '1.33' })),
  ];

  const status = () => p.caller(admin).fleet.status({ id: 'to-133' });
  const member = (s: Awaited<ReturnType<typeof status>>, name: string) => s.clusters.find((c) => c.name === name)!;

  beforeAll(async () => {
    p = await testPlatform();
    worker = await startWorker(p.services, p.services.queue, 6, RUN);
    admin = await p.actor('root', 'platform-admin', null);
    lead = await p.actor('ops-lead', 'platform-admin', null);
    for (const team of ['alpha', 'beta', 'gamma']) await p.team(team, { maxClusters: 20 });
    const ops: string[] = [];
    for (const c of fleet) {
      const { cluster, operation } = await p.caller(admin).clusters.create({ team: c.team, name: c.name, template: 'sim-dev', set: [`kubernetesVersion=${c.version}`, 'nodeCount=1'] });
      ids.set(c.name, cluster.id);
      ops.push(operation.id);
    }
    await waitForOperations(p.services.db, ops, 300_000);
  }, 330_000);

  afterAll(async () => {
    await runner?.stop();
    await worker?.stop();
    await p?.close();
  });

  it('plans the canary and waves, and skips what it cannot move', async () => {
    await p.caller(admin).fleet.setMaintenanceWindow({ team: 'alpha', name: 'a12', window: { days: ['sat'], startUtc: '02:00', durationMinutes: 240 } });
    const plan = await p.caller(admin).fleet.plan({ targetVersion: '1.33', waves: { canary: 1, percentages: [40, 60] }, maxParallel: 3 });
    expect(plan.waves.map((w) => `${w.name}:${w.clusters.map((c) => c.name).join(',')}`)).toEqual(['canary:a01', 'wave-1:a02,a03,a04,a05,a06', 'wave-2:a07,a08,a09,a10,a11,a12,a13']);
    expect(plan.skipped.map((s) => `${s.name}: ${s.reason}`)).toEqual([
      ...['b01', 'b02', 'b03', 'b04', 'b05'].map((n) => `${n}: at 1.34, newer than 1.33; downgrades are not supported`),
      ...['c01', 'c02', 'c03', 'c04'].map((n) => `${n}: already at 1.33`),
    ]);
    expect(plan.waves[2]!.clusters.find((c) => c.name === 'a12')!.maintenanceWindow).toMatchObject({ days: ['sat'] });
  });

  it('runs the campaign: canary, approval, a failure halts it, resume, restart, window, deletion', async () => {
    fs.writeFileSync(
      path.join(p.config.simCloudDir, 'faults.json'),
      JSON.stringify({ failures: [{ kind: 'nodepool', op: 'update', clusterId: ids.get('a03'), name: 'general', times: 1, message: 'sim: node pool update failed (injected)' }] }),
    );
    await p.caller(admin).fleet.start({ name: 'to-133', targetVersion: '1.33', waves: { canary: 1, percentages: [40, 60] }, maxParallel: 3, failureThreshold: 0, approvalBetweenWaves: true });
    // created after start: matches the selector but is not swept in
    const late = await p.caller(admin).clusters.create({ team: 'alpha', name: 'a00', template: 'sim-dev', set: ['kubernetesVersion=1.32'] });
    runner = startCampaignRunner(p.services, { clock, intervalMs: 100 });

    let s = await waitUntil(status, (x) => x.campaign.status === 'awaiting_approval', 'the canary');
    expect(member(s, 'a01')).toMatchObject({ status: 'succeeded', kubernetesVersion: '1.33' });
    expect(s.clusters.filter((c) => c.wave === 'wave-1').every((c) => c.status === 'pending')).toBe(true);
    await p.caller(lead).fleet.approve({ id: 'to-133' }); // not its creator (root)

    s = await waitUntil(status, (x) => x.campaign.status === 'halted' && x.campaign.counts.upgrading === 0, 'the halt');
    expect(member(s, 'a03')).toMatchObject({ status: 'failed', reason: expect.stringContaining('node pool update failed (injected)') });
    expect(s.campaign.statusReason).toMatch(/1 cluster\(s\) failed, more than the failure threshold of 0/);
    expect(s.clusters.filter((c) => c.wave === 'wave-2').every((c) => c.status === 'pending')).toBe(true);

    // deleted while the campaign is halted: shown as deleted, never started
    const { operation: del } = await p.caller(admin).clusters.delete({ team: 'alpha', name: 'a13', confirm: 'a13' });
    await waitForOperations(p.services.db, [del!.id, late.operation.id]);

    await p.caller(admin).fleet.resume({ id: 'to-133' });
    s = await waitUntil(status, (x) => x.campaign.status === 'awaiting_approval', 'wave-1 after resume');
    expect(member(s, 'a03')).toMatchObject({ status: 'succeeded', attempts: 2, kubernetesVersion: '1.33' });
    await p.caller(lead).fleet.approve({ id: 'to-133' }); // not its creator (root)

    // restart mid-campaign: stop the runner and the worker while wave-2 upgrades run
    await waitUntil(status, (x) => x.campaign.counts.upgrading > 0 && x.campaign.currentWave === 'wave-2', 'wave-2 to start');
    await runner.stop();
    await worker.stop();
    expect((await status()).campaign.status).toBe('running');
    worker = await startWorker(p.services, p.services.queue, 6, RUN);
    runner = startCampaignRunner(p.services, { clock, intervalMs: 100 });

    s = await waitUntil(status, (x) => x.clusters.filter((c) => c.wave === 'wave-2').every((c) => ['succeeded', 'waiting_window', 'deleted'].includes(c.status)), 'wave-2 outside the window');
    expect(member(s, 'a12')).toMatchObject({ status: 'waiting_window', operationId: null, kubernetesVersion: '1.32', reason: expect.stringContaining('maintenance window') });
    expect(member(s, 'a13')).toMatchObject({ status: 'deleted', operationId: null });
    expect(s.campaign.status).toBe('running');

    clockBase = SATURDAY - (Date.now() - t0);
    s = await waitUntil(status, (x) => x.campaign.status === 'completed', 'completion');
    expect(s.campaign.counts).toMatchObject({ succeeded: 12, deleted: 1, skipped: 9, failed: 0, pending: 0, waiting_window: 0, upgrading: 0 });
    expect(s.clusters.some((c) => c.name === 'a00')).toBe(false);
  }, 400_000);

  it('leaves every moved cluster at 1.33 in its row and its sim documents, and nothing else touched', async () => {
    const docs = simDocuments(p.config.simCloudDir);
    const rows = await p.services.db.selectFrom('clusters').selectAll().execute();
    for (const name of ['a01', 'a02', 'a03', 'a04', 'a05', 'a06', 'a07', 'a08', 'a09', 'a10', 'a11', 'a12']) {
      const row = rows.find((r) => r.name === name)!;
      expect({ name, status: row.status, version: row.kubernetes_version }).toEqual({ name, status: 'ready', version: '1.33' });
      const own = docs.filter((d) => d.doc.tags['kaas-cluster-id'] === row.id && (d.doc.kind === 'cluster' || d.doc.kind === 'nodepool'));
      expect(own).toHaveLength(3);
      for (const d of own) expect({ name, doc: d.doc.id, v: d.doc.properties.kubernetesVersion }).toEqual({ name, doc: d.doc.id, v: '1.33' });
    }
    const version = (n: string) => rows.find((r) => r.name === n && r.deleted_at === null)?.kubernetes_version;
    expect(['b01', 'b05', 'c01', 'a00'].map(version)).toEqual(['1.34', '1.34', '1.33', '1.32']);
    expect(rows.find((r) => r.name === 'a13')!.status).toBe('deleted');
  });
});
