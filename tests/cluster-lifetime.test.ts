/**
 * Cluster lifetime through the API and the lifetime pass (api/worker/lifetime-schedule.ts), with an
 * injected clock and no worker (operations stay queued; the ordered delete itself is the delete
 * handler's, tested in delete.ordered.test.ts): a ttl within the template max, warnings published
 * once each, expiry starting the ordinary delete as the TTL reaper, extend within and over the max,
 * hibernation to zero and back to the exact recorded sizes, and another team refused.
 */
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../api/auth/tokens.ts';
import { runLifetimePass } from '../api/worker/lifetime-schedule.ts';
import type { ClusterSpec } from '../platform/cluster-spec.ts';
import { testPlatform, type TestPlatform } from './support/services.ts';

const H = 3_600_000;
const D = 24 * H;

// the shipped sim-dev template with a lifetime policy
const TEMPLATE = fs.readFileSync(new URL('../templates/sim-dev.yaml', import.meta.url), 'utf8').replace('name: sim-dev', 'name: sim-ttl').replace(/^spec:/m, 'ttl: { default: 3d, max: 7d }\nspec:');

describe('cluster lifetime', () => {
  let p: TestPlatform;
  let alice: Actor;
  let mallory: Actor;
  let now = new Date();
  const at = (ms: number) => (now = new Date(Date.UTC(2026, 11, 7, 9, 0) + ms));
  const events = (type: string) => p.services.db.selectFrom('platform_events').selectAll().where('type', '=', type).orderBy('seq').execute();
  const pass = (_s?: unknown) => runLifetimePass({ ...p.services, clock: () => now }, now);
  const services = () => ({ ...p.services, clock: () => now });

  beforeAll(async () => {
    p = await testPlatform();
    at(0);
    p.services.clock = () => now;
    const admin = await p.actor('root', 'platform-admin', null);
    await p.caller(admin).templates.publish({ yaml: TEMPLATE });
    alice = await p.actor('alice', 'member', await p.team('payments'));
    mallory = await p.actor('mallory', 'member', await p.team('other'));
  });
  afterAll(() => p?.close());

  it('refuses a template whose ttl or schedule is malformed, naming the field', async () => {
    const admin = await p.actor('root2', 'platform-admin', null);
    const bad = (field: string) => TEMPLATE.replace('name: sim-ttl', 'name: sim-bad').replace(/^ttl: .*$/m, field);
    await expect(p.caller(admin).templates.publish({ yaml: bad('ttl: { default: 8d, max: 7d }') })).rejects.toMatchObject({ message: expect.stringContaining('ttl.default: must be at most max (8d > 7d)') });
    await expect(p.caller(admin).templates.publish({ yaml: bad('ttl: { default: forever }') })).rejects.toMatchObject({ message: expect.stringContaining('ttl.default: must be a duration like 90m, 36h, 3d or 2w') });
    await expect(p.caller(admin).templates.publish({ yaml: bad("hibernate: { schedule: [{ days: mon-fri, sleep: '20:00', wake: '07:00', timezone: Mars/Olympus }] }") })).rejects.toMatchObject({
      message: expect.stringContaining('hibernate.schedule.0.timezone: must be an IANA timezone'),
    });
  });

  it('refuses a ttl over the template max, naming the max and the fix', async () => {
    await expect(p.caller(alice).clusters.create({ name: 'long', template: 'sim-ttl', ttl: '8d' })).rejects.toMatchObject({ message: expect.stringContaining('max 7d') });
    await expect(p.caller(alice).clusters.create({ name: 'odd', template: 'sim-ttl', ttl: 'forever' })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });

  it('records the expiry: the requested ttl, else the template default', async () => {
    const { cluster } = await p.caller(alice).clusters.create({ name: 'web', template: 'sim-ttl', ttl: '2d' });
    expect(cluster.expiresAt).toBe(new Date(now.getTime() + 2 * D).toISOString());
    const { cluster: dflt } = await p.caller(alice).clusters.create({ name: 'api', template: 'sim-ttl' });
    expect(dflt.expiresAt).toBe(new Date(now.getTime() + 3 * D).toISOString());
    const listed = await p.caller(alice).clusters.list();
    expect(listed.items.find((c) => c.name === 'web')?.expiresAt).toBe(cluster.expiresAt);
    // the creates finish (no worker here)
    await p.services.db.updateTable('clusters').set({ status: 'ready' }).execute();
    await p.services.db.updateTable('operations').set({ status: 'succeeded' }).execute();
  });

  it('warns once per lead time (24 h, then 1 h), not again on later passes', async () => {
    at(12 * H);
    expect((await pass()).warned).toEqual([]);
    at(2 * D - 24 * H);
    expect((await pass()).warned).toEqual([{ cluster: 'web', leadMs: 24 * H }]);
    at(2 * D - 20 * H);
    expect((await pass()).warned).toEqual([]);
    at(2 * D - 30 * 60_000);
    expect((await pass()).warned).toEqual([{ cluster: 'web', leadMs: H }]);
    expect((await pass()).warned).toEqual([]);
    const warnings = await events('dev.kaas.cluster.ttl-warning');
    expect(warnings.map((e) => [e.subject, (e.data as { lead: string }).lead])).toEqual([
      ['clusters/payments/web', '1d'],
      ['clusters/payments/web', '1h'],
    ]);
  });

  it('extends within the max (audited, warnings afresh) and refuses beyond it', async () => {
    const before = (await p.caller(alice).clusters.get({ name: 'api' })).cluster.expiresAt!;
    const r = await p.caller(alice).clusters.extend({ name: 'api', by: '2d' });
    expect(r.expiresAt).toBe(new Date(new Date(before).getTime() + 2 * D).toISOString());
    const audit = await p.services.db.selectFrom('audit').selectAll().where('action', '=', 'clusters.extend').execute();
    expect(audit.map((a) => [a.actor, a.target])).toEqual([['alice', 'api']]);
    // created at 0, max 7d: 5d + 3d is past it
    await expect(p.caller(alice).clusters.extend({ name: 'api', by: '3d' })).rejects.toMatchObject({ code: 'PRECONDITION_FAILED', message: expect.stringContaining('at most 7d') });
    await expect(p.caller(alice).clusters.extend({ name: 'api', until: new Date(Date.UTC(2026, 11, 14, 9, 0)).toISOString() })).resolves.toMatchObject({ expiresAt: '2026-12-14T09:00:00.000Z' });
  });

  it('a member of another team cannot extend, hibernate or wake', async () => {
    for (const call of [() => p.caller(mallory).clusters.extend({ name: 'web', by: '1d' }), () => p.caller(mallory).clusters.hibernate({ name: 'web' }), () => p.caller(mallory).clusters.wake({ name: 'web' })]) {
      await expect(call()).rejects.toMatchObject({ code: 'NOT_FOUND' });
    }
  });

  it('deletes an expired cluster through the ordinary delete operation, as the TTL reaper, once', async () => {
    at(2 * D);
    const r = await pass();
    expect(r.expired.map((e) => e.cluster)).toEqual(['web']);
    const op = await p.services.db.selectFrom('operations').selectAll().where('id', '=', r.expired[0]!.operationId).executeTakeFirstOrThrow();
    expect([op.kind, op.status, op.actor]).toEqual(['delete', 'queued', 'system:ttl-reaper']);
    expect((await events('dev.kaas.cluster.expired')).map((e) => e.subject)).toEqual(['clusters/payments/web']);
    const audit = await p.services.db.selectFrom('audit').selectAll().where('actor', '=', 'system:ttl-reaper').execute();
    expect(audit.map((a) => [a.action, a.target])).toEqual([['clusters.delete', 'web']]);
    // the delete is in progress: the next pass starts nothing
    expect((await pass()).expired).toEqual([]);
  });

  it('hibernates to zero and wakes to the exact recorded sizes', async () => {
    const h = await p.caller(alice).clusters.hibernate({ name: 'api' });
    expect(h.sizes).toEqual({ general: { desiredSize: 2, minSize: 1 }, batch: { desiredSize: 0, minSize: 0 } });
    expect(h.cloudNote).toContain('sim cloud');
    const sleepOp = await p.services.db.selectFrom('operations').selectAll().where('id', '=', h.operation.id).executeTakeFirstOrThrow();
    expect(sleepOp.kind).toBe('update');
    const asleep = (sleepOp.input as { spec: ClusterSpec }).spec;
    expect(asleep.nodePools.map((n) => [n.name, n.minSize, n.desiredSize])).toEqual([['general', 0, 0], ['batch', 0, 0]]);
    await expect(p.caller(alice).clusters.hibernate({ name: 'api' })).rejects.toMatchObject({ code: 'PRECONDITION_FAILED' });
    // the update applied: the worker stores the spec it applied
    await p.services.db.updateTable('operations').set({ status: 'succeeded' }).where('id', '=', h.operation.id).execute();
    await p.services.db.updateTable('clusters').set({ spec: JSON.stringify(asleep), node_count: 0 }).where('name', '=', 'api').execute();
    expect((await p.caller(alice).clusters.get({ name: 'api' })).cluster.hibernated).toBe(true);
    await expect(p.caller(alice).clusters.update({ name: 'api', set: ['addons.prometheus.enabled=false'] })).rejects.toMatchObject({ code: 'PRECONDITION_FAILED', message: expect.stringContaining('is hibernated') });
    // an upgrade would roll pools with no nodes: refused with the wake command, nothing queued
    const queued = async () => (await p.services.db.selectFrom('operations').select('id').where('status', '=', 'queued').execute()).length;
    const before = await queued();
    await expect(p.caller(alice).clusters.upgrade({ name: 'api', to: '1.34' })).rejects.toMatchObject({ code: 'PRECONDITION_FAILED', message: expect.stringContaining('is hibernated') });
    expect(await queued()).toBe(before);
    // a quota lowered while it slept refuses the wake (and keeps the recorded sizes)
    await p.services.db.updateTable('teams').set({ max_total_nodes: 1 }).where('name', '=', 'payments').execute();
    await expect(p.caller(alice).clusters.wake({ name: 'api' })).rejects.toMatchObject({ message: expect.stringContaining('quota') });
    expect((await p.caller(alice).clusters.get({ name: 'api' })).cluster.hibernated).toBe(true);
    await p.services.db.updateTable('teams').set({ max_total_nodes: 100 }).where('name', '=', 'payments').execute();
    // and so does a monthly budget the woken nodes would exceed: waking is a scale-up like any other
    await p.services.db.updateTable('teams').set({ monthly_budget_usd: 0.01 }).where('name', '=', 'payments').execute();
    await expect(p.caller(alice).clusters.wake({ name: 'api' })).rejects.toMatchObject({ message: expect.stringContaining('monthly budget exceeded') });
    expect((await p.caller(alice).clusters.get({ name: 'api' })).cluster.hibernated).toBe(true);
    await p.services.db.updateTable('teams').set({ monthly_budget_usd: null }).where('name', '=', 'payments').execute();
    const w = await p.caller(alice).clusters.wake({ name: 'api' });
    const wakeOp = await p.services.db.selectFrom('operations').selectAll().where('id', '=', w.operation.id).executeTakeFirstOrThrow();
    expect((wakeOp.input as { spec: ClusterSpec }).spec.nodePools.map((n) => [n.name, n.minSize, n.desiredSize])).toEqual([['general', 1, 2], ['batch', 0, 0]]);
    expect((await p.caller(alice).clusters.get({ name: 'api' })).cluster.hibernated).toBe(false);
    await expect(p.caller(alice).clusters.wake({ name: 'api' })).rejects.toMatchObject({ code: 'PRECONDITION_FAILED' });
    await p.services.db.updateTable('operations').set({ status: 'succeeded' }).where('id', '=', w.operation.id).execute();
    await p.services.db.updateTable('clusters').set({ spec: JSON.stringify((wakeOp.input as { spec: ClusterSpec }).spec), node_count: 2 }).where('name', '=', 'api').execute();
  });

  it('a schedule sleeps and wakes the cluster at its edges only', async () => {
    await p.caller(alice).clusters.setHibernation({ name: 'api', hibernate: { schedule: [{ days: 'mon-fri', sleep: '20:00', wake: '07:00', timezone: 'Europe/Berlin' }] } });
    // Monday 2026-12-07 21:00 Berlin (20:00 UTC): asleep
    now = new Date('2026-12-07T20:00:00Z');
    expect((await pass(services())).slept).toEqual(['api']);
    await p.services.db.updateTable('operations').set({ status: 'succeeded' }).where('status', '=', 'queued').where('kind', '=', 'update').execute();
    expect((await pass()).slept).toEqual([]);
    // Tuesday 07:30 Berlin: awake
    now = new Date('2026-12-08T06:30:00Z');
    expect((await pass()).woken).toEqual(['api']);
    const ops = await p.services.db.selectFrom('operations').selectAll().where('actor', '=', 'system:hibernation-schedule').orderBy('created_at').execute();
    expect(ops.map((o) => (o.input as { spec: ClusterSpec }).spec.nodePools.map((n) => n.desiredSize))).toEqual([[0, 0], [2, 0]]);
  });

  it("a template's default schedule applies to its clusters", async () => {
    const admin = await p.actor('root3', 'platform-admin', null);
    const sleepy = TEMPLATE.replace('name: sim-ttl', 'name: sim-sleepy').replace(/^ttl: .*$/m, "hibernate: { schedule: [{ days: sat-sun, sleep: '00:00', wake: '23:59', timezone: UTC }] }");
    await p.caller(admin).templates.publish({ yaml: sleepy });
    await p.caller(alice).clusters.create({ name: 'weekend', template: 'sim-sleepy', set: ['nodeCount=1'] });
    await p.services.db.updateTable('clusters').set({ status: 'ready' }).where('name', '=', 'weekend').execute();
    await p.services.db.updateTable('operations').set({ status: 'succeeded' }).where('status', '=', 'queued').execute();
    now = new Date('2026-12-11T12:00:00Z'); // Friday
    expect((await pass()).slept).toEqual([]);
    now = new Date('2026-12-12T12:00:00Z'); // Saturday
    expect((await pass()).slept).toEqual(['weekend']);
  });

  it("an expired production cluster is not deleted by the reaper alone: its delete waits for approval, as anyone's would", async () => {
    at(10 * D);
    const { cluster } = await p.caller(alice).clusters.create({ name: 'prod', template: 'sim-ttl', ttl: '1d', labels: { environment: 'production' } });
    await p.services.db.updateTable('clusters').set({ status: 'ready' }).where('id', '=', cluster.id).execute();
    await p.services.db.updateTable('operations').set({ status: 'succeeded' }).where('cluster_id', '=', cluster.id).execute();
    at(12 * D);
    const r = await pass();
    const expired = r.expired.find((e) => e.cluster === 'prod');
    expect(expired).toMatchObject({ operationId: null, approvalId: expect.any(String) });
    const request = await p.services.db.selectFrom('approval_requests').selectAll().where('id', '=', expired!.approvalId!).executeTakeFirstOrThrow();
    expect(request).toMatchObject({ action: 'delete', cluster_id: cluster.id, requester: 'system:ttl-reaper', status: 'pending' });
    expect(await p.services.db.selectFrom('operations').select('id').where('cluster_id', '=', cluster.id).where('kind', '=', 'delete').execute()).toEqual([]);
  });
});
