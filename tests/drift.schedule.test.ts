/**
 * The drift schedule's pass (`runDriftPass`) against real PostgreSQL with an injected time: it
 * starts refresh operations only for ready clusters that are due and idle, once, under a lock.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId, stackNameFor } from '../api/ids.ts';
import { createMetrics } from '../api/metrics.ts';
import { runDriftPass } from '../api/worker/drift-schedule.ts';
import { testPlatform, type TestPlatform } from './support/services.ts';

const HOUR = 3600_000;

describe('scheduled drift checks', () => {
  let p: TestPlatform;
  const ids: Record<string, string> = {};
  const now = new Date(Date.now() + 24 * HOUR);
  const ago = (hours: number) => new Date(now.getTime() - hours * HOUR);

  async function addCluster(name: string, status: string, createdHoursAgo: number, teamId: string, targetId: string, deleted = false) {
    const id = newId('c');
    ids[name] = id;
    await p.services.db
      .insertInto('clusters')
      .values({ id, team_id: teamId, name, target_id: targetId, spec: JSON.stringify({ name }), kubernetes_version: '1.33', node_count: 1, status, stack_name: stackNameFor(id), created_at: ago(createdHoursAgo), deleted_at: deleted ? ago(1) : null })
      .execute();
  }
  async function addOperation(cluster: string, kind: string, status: 'queued' | 'succeeded', createdHoursAgo: number) {
    await p.services.db.insertInto('operations').values({ id: newId('o'), cluster_id: ids[cluster]!, kind, status, actor: 'alice', request_id: 'r', created_at: ago(createdHoursAgo) }).execute();
  }
  const refreshOps = () => p.services.db.selectFrom('operations').selectAll().where('kind', '=', 'refresh').where('actor', '=', 'system:drift-scheduler').execute();

  beforeAll(async () => {
    p = await testPlatform();
    const team = await p.team('payments');
    const target = await p.services.db.selectFrom('targets').select('id').where('name', '=', 'sim-local').executeTakeFirstOrThrow();
    await addCluster('never-checked', 'ready', 48, team, target.id);
    await addCluster('checked-long-ago', 'ready', 48, team, target.id);
    await addOperation('checked-long-ago', 'refresh', 'succeeded', 7);
    await addCluster('checked-recently', 'ready', 48, team, target.id);
    await addOperation('checked-recently', 'refresh', 'succeeded', 1);
    await addCluster('busy', 'ready', 48, team, target.id);
    await addOperation('busy', 'update', 'queued', 0.5);
    await addCluster('young', 'ready', 1, team, target.id);
    await addCluster('broken', 'failed', 48, team, target.id);
    await addCluster('gone', 'deleted', 48, team, target.id, true);
  });
  afterAll(() => p?.close());

  it('does nothing when the schedule is off (interval 0)', async () => {
    const off = await runDriftPass({ ...p.services, config: { ...p.config, driftIntervalMinutes: 0 } }, now);
    expect(off).toEqual({ ran: false, budget: 0, started: [], skipped: [] });
    expect(await refreshOps()).toEqual([]);
  });

  it('starts refresh operations only for due, idle, ready clusters', async () => {
    expect(p.config.driftIntervalMinutes).toBe(360);
    // a pass as long as the interval may start every ready cluster (the spread is tested below)
    const pass = await runDriftPass(p.services, now, { tickMs: 360 * 60_000 });
    expect(pass.ran).toBe(true);
    expect(pass.started.map((s) => s.cluster).sort()).toEqual([ids['never-checked'], ids['checked-long-ago']].sort());
    const ops = await refreshOps();
    expect(ops.map((o) => o.cluster_id).sort()).toEqual([ids['never-checked'], ids['checked-long-ago']].sort());
    expect(ops.every((o) => o.status === 'queued' && (o.input as { scheduled?: boolean }).scheduled === true)).toBe(true);
    const audit = await p.services.db.selectFrom('audit').selectAll().where('actor', '=', 'system:drift-scheduler').execute();
    expect(audit.map((a) => a.target).sort()).toEqual(['checked-long-ago', 'never-checked']);
  });

  it('starts nothing twice: the next pass skips clusters whose check is queued, and concurrent passes share the work', async () => {
    expect((await runDriftPass(p.services, now, { tickMs: 360 * 60_000 })).started).toEqual([]);
    // the checks finish; much later two workers run a pass at the same moment
    await p.services.db.updateTable('operations').set({ status: 'succeeded' }).where('status', '=', 'queued').execute();
    const later = new Date(now.getTime() + 8 * HOUR);
    const wide = { tickMs: 360 * 60_000, capacity: 100 };
    const passes = await Promise.all([runDriftPass(p.services, later, wide), runDriftPass(p.services, later, wide)]);
    const started = passes.flatMap((r) => r.started.map((s) => s.cluster));
    expect(started.sort()).toEqual([ids['never-checked'], ids['checked-long-ago'], ids['checked-recently'], ids['busy'], ids['young']].sort());
    expect(passes.flatMap((r) => r.skipped)).toEqual([]);
  });
});

describe('drift checks spread and bounded', () => {
  let p: TestPlatform;
  const metric = async (name: string) => {
    const text = await createMetrics(p.services.db, { driftIntervalMinutes: p.config.driftIntervalMinutes }).registry.getSingleMetricAsString(name);
    return Number(/^kaas_\w+ (\d+)$/m.exec(text)?.[1]);
  };
  const queuedChecks = () => p.services.db.selectFrom('operations').select('id').where('actor', '=', 'system:drift-scheduler').where('status', '=', 'queued').execute();

  beforeAll(async () => {
    p = await testPlatform();
    const team = await p.team('payments');
    const target = await p.services.db.selectFrom('targets').select('id').where('name', '=', 'sim-local').executeTakeFirstOrThrow();
    for (let i = 0; i < 20; i++) {
      const id = newId('c');
      await p.services.db
        .insertInto('clusters')
        .values({ id, team_id: team, name: `due-${i}`, target_id: target.id, spec: '{}', kubernetes_version: '1.33', node_count: 1, status: 'ready', stack_name: stackNameFor(id), created_at: new Date(Date.now() - 48 * HOUR) })
        .execute();
    }
  });
  afterAll(() => p?.close());

  it('starts the steady rate of one pass, not every due cluster, and reports the rest as the backlog', async () => {
    expect(await metric('kaas_drift_backlog')).toBe(20);
    // 20 ready clusters checked every 6 h, a pass every hour: 4 a pass
    const pass = await runDriftPass(p.services, new Date(), { tickMs: HOUR, capacity: 100 });
    expect(pass.budget).toBe(4);
    expect(pass.started).toHaveLength(4);
    expect(await queuedChecks()).toHaveLength(4);
    expect(await metric('kaas_drift_backlog')).toBe(16);
    expect(await metric('kaas_drift_checks_in_flight')).toBe(4);
  });

  it('never queues more checks than the workers have slots', async () => {
    // 6 slots, 4 checks in flight: 2 more, then none until checks finish
    const next = await runDriftPass(p.services, new Date(), { tickMs: 12 * HOUR, capacity: 6 });
    expect(next.started).toHaveLength(2);
    const full = await runDriftPass(p.services, new Date(), { tickMs: 12 * HOUR, capacity: 6 });
    expect(full).toMatchObject({ ran: true, budget: 0, started: [] });
    expect(await queuedChecks()).toHaveLength(6);
    expect(await metric('kaas_drift_backlog')).toBe(14);
  });

  it('uses the live workers\' registered slots when none are given', async () => {
    // no worker is registered in this test: the pass falls back to this process's concurrency (4)
    await p.services.db.updateTable('operations').set({ status: 'succeeded' }).where('status', '=', 'queued').execute();
    const pass = await runDriftPass(p.services, new Date(), { tickMs: 12 * HOUR });
    expect(pass.started).toHaveLength(p.config.workerConcurrency);
  });
});
