/**
 * The drift schedule's pass (`runDriftPass`) against real PostgreSQL with an injected time: it
 * starts refresh operations only for ready clusters that are due and idle, once, under a lock.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId, stackNameFor } from '../api/ids.ts';
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
    expect(off).toEqual({ ran: false, started: [], skipped: [] });
    expect(await refreshOps()).toEqual([]);
  });

  it('starts refresh operations only for due, idle, ready clusters', async () => {
    expect(p.config.driftIntervalMinutes).toBe(360);
    const pass = await runDriftPass(p.services, now);
    expect(pass.ran).toBe(true);
    expect(pass.started.map((s) => s.cluster).sort()).toEqual([ids['never-checked'], ids['checked-long-ago']].sort());
    const ops = await refreshOps();
    expect(ops.map((o) => o.cluster_id).sort()).toEqual([ids['never-checked'], ids['checked-long-ago']].sort());
    expect(ops.every((o) => o.status === 'queued' && (o.input as { scheduled?: boolean }).scheduled === true)).toBe(true);
    const audit = await p.services.db.selectFrom('audit').selectAll().where('actor', '=', 'system:drift-scheduler').execute();
    expect(audit.map((a) => a.target).sort()).toEqual(['checked-long-ago', 'never-checked']);
  });

  it('starts nothing twice: the next pass skips clusters whose check is queued, and concurrent passes share the work', async () => {
    expect((await runDriftPass(p.services, now)).started).toEqual([]);
    // the checks finish; much later two workers run a pass at the same moment
    await p.services.db.updateTable('operations').set({ status: 'succeeded' }).where('status', '=', 'queued').execute();
    const later = new Date(now.getTime() + 8 * HOUR);
    const passes = await Promise.all([runDriftPass(p.services, later), runDriftPass(p.services, later)]);
    const started = passes.flatMap((r) => r.started.map((s) => s.cluster));
    expect(started.sort()).toEqual([ids['never-checked'], ids['checked-long-ago'], ids['checked-recently'], ids['busy'], ids['young']].sort());
    expect(passes.flatMap((r) => r.skipped)).toEqual([]);
  });
});
