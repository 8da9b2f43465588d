/**
 * The fleet router and the campaign runner's rules, without the engine: cluster rows are stored
 * directly (resolved from the real sim-dev template), operations are finished by hand where the
 * worker would, and ticks run with an explicit clock. Covers permissions, validation, plan output,
 * frozen cluster sets, max parallelism under concurrent runners, approval, soak, threshold,
 * pause/resume/cancel, and template rollout (preview and update operations).
 */
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../api/auth/tokens.ts';
import { targetRef } from '../api/clusters/create-cluster.ts';
import { runCampaignTick } from '../api/fleet/campaign-tick.ts';
import { newId, stackNameFor } from '../api/ids.ts';
import { findTemplate } from '../api/templates/template-store.ts';
import { resolveTemplate } from '../platform/templates.ts';
import { expectTrpcError } from './support/errors.ts';
import { testPlatform, type TestPlatform } from './support/services.ts';

const T0 = new Date('2025-06-11T12:00:00Z');
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);

describe('fleet router and campaign runner', () => {
  let p: TestPlatform;
  let admin: Actor;
  let lead: Actor;
  let member: Actor;
  let teamId: string;
  const db = () => p.services.db;

  /** Stores a ready cluster resolved from sim-dev@1 (no operation runs). */
  async function cluster(name: string, version: string, extra: { status?: string; failedOperation?: string; overrides?: Record<string, string>; labels?: Record<string, string> } = {}) {
    const template = await findTemplate(db(), 'sim-dev@1');
    const target = await db().selectFrom('targets').selectAll().where('name', '=', 'sim-local').executeTakeFirstOrThrow();
    const overrides = { kubernetesVersion: version, ...extra.overrides };
    const spec = resolveTemplate(template.definition, { name, team: 'ops', target: targetRef(target), overrides });
    const id = newId('c');
    await db()
      .insertInto('clusters')
      .values({ id, team_id: teamId, name, target_id: target.id, template: 'sim-dev@1', spec: JSON.stringify(spec), overrides: JSON.stringify(overrides), kubernetes_version: version, node_count: 2, status: extra.status ?? 'ready', failed_operation: extra.failedOperation ?? null, stack_name: stackNameFor(id), labels: JSON.stringify(extra.labels ?? {}) })
      .execute();
    return id;
  }
  const members = (campaign: string) =>
    db().selectFrom('campaign_clusters').innerJoin('campaigns', 'campaigns.id', 'campaign_clusters.campaign_id').innerJoin('clusters', 'clusters.id', 'campaign_clusters.cluster_id').select(['clusters.name', 'campaign_clusters.status', 'campaign_clusters.operation_id']).where('campaigns.name', '=', campaign).orderBy('campaign_clusters.position').execute();
  const upgrading = async (campaign: string) => (await members(campaign)).filter((m) => m.status === 'upgrading');
  /** Finishes the campaign's running operations the way the worker would. */
  async function finishRunning(campaign: string, outcome: 'succeeded' | 'failed' = 'succeeded') {
    for (const m of await upgrading(campaign)) {
      await db().updateTable('operations').set({ status: outcome, finished_at: new Date(), ...(outcome === 'failed' ? { error: 'sim: boom' } : {}) }).where('id', '=', m.operation_id!).execute();
    }
  }
  const campaignOf = (name: string) => db().selectFrom('campaigns').selectAll().where('name', '=', name).executeTakeFirstOrThrow();

  beforeAll(async () => {
    p = await testPlatform();
    teamId = await p.team('ops', { maxClusters: 100 });
    admin = await p.actor('root', 'platform-admin', null);
    lead = await p.actor('ops-lead', 'platform-admin', null);
    member = await p.actor('mallory', 'team-admin', teamId);
    for (const [name, v] of [['r1', '1.32'], ['r2', '1.32'], ['r3', '1.32'], ['r4', '1.32'], ['r5', '1.32'], ['new', '1.34'], ['cur', '1.33']] as const) await cluster(name, v);
    await cluster('broken', '1.32', { status: 'failed', failedOperation: 'create' });
  });
  afterAll(async () => p.close());

  it('is for platform admins only', async () => {
    const input = { targetVersion: '1.33', waves: { canary: 1, percentages: [100] } };
    await expectTrpcError(p.caller(member).fleet.plan(input), 'FORBIDDEN', /platform-admin/);
    await expectTrpcError(p.caller(member).fleet.start({ ...input, name: 'x' }), 'FORBIDDEN');
    await expectTrpcError(p.caller(member).fleet.list(), 'FORBIDDEN');
    await expectTrpcError(p.caller(member).fleet.pause({ id: 'x' }), 'FORBIDDEN');
    await expectTrpcError(p.caller(member).fleet.setMaintenanceWindow({ team: 'ops', name: 'r1', window: null }), 'FORBIDDEN');
    await expectTrpcError(p.caller(member).templates.rolloutPreview({ name: 'sim-dev', toVersion: 2 }), 'FORBIDDEN');
    await expectTrpcError(p.caller().fleet.list(), 'UNAUTHORIZED');
  });

  it.each<[string, unknown, RegExp]>([
    ['percentages not totalling 100', { targetVersion: '1.33', waves: { canary: 1, percentages: [30, 30] } }, /per-wave percentages sum to 60/],
    ['a bad version', { targetVersion: 'v1.33', waves: { canary: 1, percentages: [100] } }, /must be MAJOR.MINOR/],
    ['an unknown field', { targetVersion: '1.33', waves: { canary: 1, percentages: [100] }, force: true }, /force/],
    ['zero parallelism', { targetVersion: '1.33', waves: { canary: 1, percentages: [100] }, maxParallel: 0 }, /maxParallel/],
    ['a rollout without template', { kind: 'template-rollout', toVersion: 2, waves: { canary: 0, percentages: [100] } }, /template/],
    ['an unknown listed cluster', { targetVersion: '1.33', waves: { lists: [['nope']] } }, /unknown cluster "nope"/],
  ])('refuses %s', async (_name, input, message) => {
    await expectTrpcError(p.caller(admin).fleet.plan(input as never), 'BAD_REQUEST', message);
  });

  it('validates and stores maintenance windows', async () => {
    await expectTrpcError(p.caller(admin).fleet.setMaintenanceWindow({ team: 'ops', name: 'r1', window: { days: [], startUtc: '02:00', durationMinutes: 60 } }), 'BAD_REQUEST', /never opens/);
    await expectTrpcError(p.caller(admin).fleet.setMaintenanceWindow({ team: 'ops', name: 'nope', window: null }), 'NOT_FOUND');
    const set = await p.caller(admin).fleet.setMaintenanceWindow({ team: 'ops', name: 'r5', window: { days: ['wed'], startUtc: '11:00', durationMinutes: 120 } });
    expect(set.window).toEqual({ days: ['wed'], startUtc: '11:00', durationMinutes: 120 });
  });

  it('plans waves and lists skipped clusters with reasons', async () => {
    const plan = await p.caller(admin).fleet.plan({ targetVersion: '1.33', waves: { canary: 1, percentages: [50, 50] }, maxParallel: 2 });
    expect(plan.waves.map((w) => `${w.name}:${w.clusters.map((c) => c.name).join(',')}`)).toEqual(['canary:r1', 'wave-1:r2,r3', 'wave-2:r4,r5']);
    expect(Object.fromEntries(plan.skipped.map((s) => [s.name, s.reason]))).toEqual({
      broken: 'cluster is failed (its create failed); fix it first',
      cur: 'already at 1.33',
      new: 'at 1.34, newer than 1.33; downgrades are not supported',
    });
    expect(plan.total).toBe(5);
    expect(await db().selectFrom('campaigns').select('id').execute()).toEqual([]);
  });

  it('starts a campaign with a frozen cluster set; runners respect maxParallel; approval and soak gate waves', async () => {
    const { campaign } = await p.caller(admin).fleet.start({ name: 'c1', targetVersion: '1.33', selector: { team: 'ops' }, waves: { canary: 2, percentages: [100] }, maxParallel: 1, approvalBetweenWaves: true, soakSeconds: 600 });
    expect(campaign).toMatchObject({ status: 'running', waves: ['canary', 'wave-1'], counts: { pending: 5, skipped: 3 } });
    await expectTrpcError(p.caller(admin).fleet.start({ name: 'c1', targetVersion: '1.33', waves: { canary: 1, percentages: [100] } }), 'CONFLICT', /already exists/);
    await cluster('r0', '1.32'); // created after start: not included
    await Promise.all([runCampaignTick(p.services, at(0)), runCampaignTick(p.services, at(0)), runCampaignTick(p.services, at(0))]);
    expect((await upgrading('c1')).map((m) => m.name)).toEqual(['r1']);
    const op = await db().selectFrom('operations').selectAll().where('id', '=', (await upgrading('c1'))[0]!.operation_id!).executeTakeFirstOrThrow();
    expect(op).toMatchObject({ kind: 'upgrade', actor: 'root (fleet campaign c1)', input: { toVersion: '1.33', campaignId: campaign.id, plan: { from: '1.32', to: '1.33', hops: ['1.33'] } } });
    await finishRunning('c1');
    await runCampaignTick(p.services, at(1));
    expect((await upgrading('c1')).map((m) => m.name)).toEqual(['r2']);
    await finishRunning('c1');
    await runCampaignTick(p.services, at(2));
    expect(await campaignOf('c1')).toMatchObject({ status: 'running', current_wave: 0 }); // soaking
    await expectTrpcError(p.caller(admin).fleet.approve({ id: 'c1' }), 'PRECONDITION_FAILED', /it is running/);
    await runCampaignTick(p.services, at(603));
    expect(await campaignOf('c1')).toMatchObject({ status: 'awaiting_approval', current_wave: 0 });
    // the wave's approval request is the campaign creator's: another platform admin approves it
    const { items } = await p.caller(lead).approvals.list({ status: 'pending', limit: 50 });
    expect(items).toEqual([expect.objectContaining({ action: 'fleet-wave', target: 'campaign c1', requester: 'root', plan: expect.objectContaining({ wave: 1, waveName: 'wave-1' }) })]);
    await expectTrpcError(p.caller(admin).fleet.approve({ id: 'c1' }), 'FORBIDDEN', /root requested this and cannot approve their own request/);
    expect(await campaignOf('c1')).toMatchObject({ status: 'awaiting_approval' });
    await p.caller(lead).fleet.approve({ id: 'c1' });
    expect((await p.caller(lead).approvals.get({ id: items[0]!.id })).approval).toMatchObject({ status: 'approved', approvals: [expect.objectContaining({ subject: 'ops-lead' })] });
    // r5's window (Wednesdays 11:00–13:00) is open at T0, closed a day later
    await runCampaignTick(p.services, at(86_400 + 604));
    expect(await members('c1')).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'r3', status: 'upgrading' }), expect.objectContaining({ name: 'r5', status: 'waiting_window' })]));
    const status = await p.caller(admin).fleet.status({ id: 'c1' });
    expect(status.clusters.map((c) => c.name)).not.toContain('r0');
    expect(status.campaign).toMatchObject({ currentWave: 'wave-1', counts: { succeeded: 2, upgrading: 1, waiting_window: 1, pending: 1, skipped: 3 } });
    await p.caller(admin).fleet.cancel({ id: 'c1' });
    await finishRunning('c1');
    await runCampaignTick(p.services, at(86_400 + 700));
    expect((await p.caller(admin).fleet.status({ id: 'c1' })).campaign).toMatchObject({ status: 'cancelled', counts: { succeeded: 3, skipped: 5, upgrading: 0 } });
    await expectTrpcError(p.caller(admin).fleet.resume({ id: 'c1' }), 'PRECONDITION_FAILED', /it is cancelled/);
    // every state change is an event, platform-wide (issue 13, events out)
    const changes = await db().selectFrom('platform_events').select(['type', 'team_id', 'data']).where('subject', '=', 'campaigns/c1').orderBy('seq').execute();
    expect(changes.map((e) => e.type)).toEqual(['dev.kaas.campaign.running', 'dev.kaas.campaign.awaiting_approval', 'dev.kaas.campaign.running', 'dev.kaas.campaign.cancelled']);
    expect(changes.every((e) => e.team_id === null)).toBe(true);
    expect(changes[3]!.data).toMatchObject({ campaign: { name: 'c1', status: 'cancelled', previousStatus: 'running', reason: 'cancelled by an operator' } });
  });

  it('halts when failures exceed the threshold, pauses, and resumes by retrying the failed clusters', async () => {
    await db().updateTable('clusters').set({ kubernetes_version: '1.32', maintenance_window: null }).where('name', 'in', ['r1', 'r2', 'r3']).execute();
    await p.caller(admin).fleet.start({ name: 'c2', targetVersion: '1.33', selector: { team: 'ops' }, waves: { canary: 0, percentages: [100] }, maxParallel: 1, failureThreshold: 1 });
    await runCampaignTick(p.services, at(0));
    await finishRunning('c2', 'failed');
    await runCampaignTick(p.services, at(1));
    expect((await campaignOf('c2')).status).toBe('running'); // one failure is within the threshold of 1
    expect((await upgrading('c2')).map((m) => m.name)).toEqual(['r1']);
    await p.caller(admin).fleet.pause({ id: 'c2' });
    await finishRunning('c2', 'failed'); // the running upgrade finishes while paused, and fails
    await runCampaignTick(p.services, at(2));
    expect(await upgrading('c2')).toEqual([]); // recorded; nothing new starts while paused
    expect((await campaignOf('c2')).status).toBe('paused');
    await p.caller(admin).fleet.resume({ id: 'c2' });
    await runCampaignTick(p.services, at(3)); // two failures: more than the threshold of 1
    const halted = await p.caller(admin).fleet.status({ id: 'c2' });
    expect(halted.campaign).toMatchObject({ status: 'halted', statusReason: expect.stringMatching(/failed, more than the failure threshold of 1/) });
    expect(halted.clusters.filter((c) => c.status === 'failed').map((c) => c.reason)).toEqual(expect.arrayContaining(['sim: boom']));
    await p.caller(admin).fleet.resume({ id: 'c2' });
    for (let i = 0; i < 10 && (await campaignOf('c2')).status !== 'completed'; i++) {
      await runCampaignTick(p.services, at(10 + i));
      await finishRunning('c2');
    }
    const done = await p.caller(admin).fleet.status({ id: 'c2' });
    expect(done.campaign.status).toBe('completed');
    expect(done.campaign.counts).toMatchObject({ succeeded: 6, failed: 0 });
    expect(done.clusters.filter((c) => c.attempts === 2).length).toBe(2);
    expect((await p.caller(admin).fleet.list()).items.map((c) => `${c.name}:${c.status}`)).toEqual(['c2:completed', 'c1:cancelled']);
  });

  it('previews a template rollout field by field, and rolls it out with update operations', async () => {
    const yaml = fs.readFileSync(new URL('../templates/sim-dev.yaml', import.meta.url), 'utf8');
    // version 2: a new tag, a bigger batch pool, and the machineType parameter renamed
    const v2 = yaml.replace('env: dev', 'env: dev\n    cost-center: platform').replace('maxSize: 3', 'maxSize: 4').replaceAll('machineType}', 'size}').replace('  machineType:\n    type: string', '  size:\n    type: string');
    expect((await p.caller(admin).templates.publish({ yaml: v2 })).template.version).toBe(2);
    await cluster('t-ok', '1.32', { overrides: { nodeCount: '3' }, labels: { rollout: 'yes' } });
    await cluster('t-bad', '1.32', { overrides: { machineType: 'sim.medium' }, labels: { rollout: 'yes' } });
    const preview = await p.caller(admin).templates.rolloutPreview({ name: 'sim-dev', toVersion: 2 });
    const ok = preview.items.find((i) => i.name === 't-ok')!;
    expect(ok.error).toBeNull();
    expect(ok.changes).toEqual([
      { path: 'nodePools.batch.maxSize', from: 3, to: 4 },
      { path: 'tags.cost-center', from: undefined, to: 'platform' },
      { path: 'template', from: 'sim-dev@1', to: 'sim-dev@2' },
    ]);
    expect(preview.items.find((i) => i.name === 't-bad')).toMatchObject({ changes: [], error: expect.stringMatching(/overrides do not resolve against sim-dev@2: .*machineType/) });

    const { plan } = await p.caller(admin).fleet.start({ kind: 'template-rollout', name: 'roll', template: 'sim-dev', toVersion: 2, selector: { labels: { rollout: 'yes' } }, waves: { canary: 0, percentages: [100] } });
    expect(plan.waves).toEqual([{ name: 'wave-1', clusters: [expect.objectContaining({ name: 't-ok' })] }]);
    expect(plan.skipped.find((s) => s.name === 't-bad')!.reason).toMatch(/overrides do not resolve/);
    await runCampaignTick(p.services, at(0));
    const [running] = await upgrading('roll');
    const op = await db().selectFrom('operations').selectAll().where('id', '=', running!.operation_id!).executeTakeFirstOrThrow();
    expect(op).toMatchObject({ kind: 'update', input: { template: 'sim-dev@2', overrides: { nodeCount: '3' }, spec: { template: 'sim-dev@2', kubernetesVersion: '1.32', tags: { 'cost-center': 'platform' } } } });
  });

  it('a rejected wave halts the campaign with the reason; resume asks again; a team sees none of it', async () => {
    await cluster('w1', '1.32', { labels: { rej: 'yes' } });
    await cluster('w2', '1.32', { labels: { rej: 'yes' } });
    await p.caller(admin).fleet.start({ name: 'rej', targetVersion: '1.33', selector: { labels: { rej: 'yes' } }, waves: { canary: 1, percentages: [100] }, maxParallel: 2, approvalBetweenWaves: true });
    await runCampaignTick(p.services, at(0));
    await finishRunning('rej');
    await runCampaignTick(p.services, at(1));
    expect(await campaignOf('rej')).toMatchObject({ status: 'awaiting_approval' });
    const pending = (await p.caller(lead).approvals.list({ status: 'pending', limit: 50 })).items.find((a) => a.target === 'campaign rej')!;
    expect(pending).toMatchObject({ action: 'fleet-wave', requester: 'root', rule: { roles: ['platform-admin'] } });
    await expectTrpcError(p.caller(member).approvals.get({ id: pending.id }), 'NOT_FOUND');
    await expectTrpcError(p.caller(member).approvals.approve({ id: pending.id }), 'NOT_FOUND');
    await p.caller(lead).approvals.reject({ id: pending.id, reason: 'freeze until Monday' });
    expect(await campaignOf('rej')).toMatchObject({ status: 'halted', status_reason: 'rejected by ops-lead: freeze until Monday' });
    await p.caller(admin).fleet.resume({ id: 'rej' });
    await runCampaignTick(p.services, at(2));
    expect(await campaignOf('rej')).toMatchObject({ status: 'awaiting_approval' });
    const again = (await p.caller(lead).approvals.list({ status: 'pending', limit: 50 })).items.filter((a) => a.target === 'campaign rej');
    expect(again.map((a) => a.id)).toEqual([expect.not.stringMatching(pending.id)]);
  });
});
