/**
 * `fleet.overview`: the fleet in aggregate from SQL group-bys, for every team (platform admins)
 * or one team; a member sees only their own team's numbers and cannot name another team.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../api/auth/tokens.ts';
import { utcDate, VERSION_CALENDAR } from '../api/versions/version-rules.ts';
import { availableVersions, supportPhase } from '../platform/version-policy.ts';
import { expectTrpcError } from './support/errors.ts';
import { testPlatform, type TestPlatform } from './support/services.ts';

describe('fleet.overview', () => {
  let p: TestPlatform;
  let alice: Actor;
  let bob: Actor;
  let admin: Actor;
  const today = utcDate();
  // an EKS minor in extended support today (sim has none), and sim's newest available one: the calendar picks the inputs
  const extended = VERSION_CALENDAR.aws.minors.map((m) => m.version).find((v) => supportPhase(VERSION_CALENDAR, 'aws', v, today) === 'extended');
  const newestAws = availableVersions(VERSION_CALENDAR, 'aws', today).at(-1)!;
  const newest = availableVersions(VERSION_CALENDAR, 'sim', today).at(-1)!;
  beforeAll(async () => {
    p = await testPlatform();
    const alpha = await p.team('alpha', { maxClusters: 10, maxTotalNodes: 50 });
    const beta = await p.team('beta', { maxClusters: 10, maxTotalNodes: 50 });
    alice = await p.actor('alice', 'member', alpha);
    bob = await p.actor('bob', 'member', beta);
    admin = await p.actor('root', 'platform-admin', null);
    for (const name of ['a1', 'a2', 'a3']) await p.caller(alice).clusters.create({ name, template: 'sim-dev', set: ['nodeCount=1'] });
    for (const name of ['b1', 'b2']) await p.caller(bob).clusters.create({ name, template: 'sim-dev', set: ['nodeCount=1'] });
    const db = p.services.db;
    // a1 ready at the newest minor, a2 ready in extended support (its create finished), a3 still requested
    await db.updateTable('clusters').set({ status: 'ready', kubernetes_version: newest }).where('name', '=', 'a1').execute();
    // a2 moves to an aws target (the sim cloud's calendar has no extended support)
    await db.insertInto('targets').values({ id: 'gawsoverview1', name: 'aws-overview', cloud: 'aws', region: 'eu-west-1', account: '123456789012', allowed_teams: null, settings: '{}' }).execute();
    await db.updateTable('clusters').set({ status: 'ready', kubernetes_version: extended!, target_id: 'gawsoverview1' }).where('name', '=', 'a2').execute();
    await db.updateTable('operations').set({ status: 'succeeded', finished_at: new Date() }).where('cluster_id', 'in', db.selectFrom('clusters').select('id').where('name', 'in', ['a1', 'a2'])).execute();
    await db.updateTable('operations').set({ status: 'running', started_at: new Date() }).where('cluster_id', 'in', db.selectFrom('clusters').select('id').where('name', '=', 'b1')).execute();
    // a deleted cluster counts nowhere
    await db.updateTable('clusters').set({ status: 'deleted', deleted_at: new Date() }).where('name', '=', 'b2').execute();
    await db.updateTable('operations').set({ status: 'succeeded', finished_at: new Date() }).where('cluster_id', 'in', db.selectFrom('clusters').select('id').where('name', '=', 'b2')).execute();
  });
  afterAll(() => p.close());

  it('has an extended-support minor to test with', () => expect(extended).toBeDefined());

  it('counts a member\'s own team only: versions per cloud, statuses, support, running operations', async () => {
    const o = await p.caller(alice).fleet.overview();
    expect(o.team).toBe('alpha');
    expect(o.total).toBe(3);
    expect(o.statuses).toEqual([{ status: 'ready', clusters: 2 }, { status: 'requested', clusters: 1 }]);
    const byVersion = Object.fromEntries(o.versions.map((v) => [v.version, v]));
    expect(byVersion[newest]).toMatchObject({ cloud: 'sim', clusters: 1, minorsBehind: 0 });
    expect(byVersion[extended!]).toMatchObject({ cloud: 'aws', clusters: 1, phase: 'extended', minorsBehind: Number(newestAws.split('.')[1]) - Number(extended!.split('.')[1]) });
    expect(o.support.extended).toBe(1);
    expect(o.runningOperations).toEqual([{ kind: 'create', status: 'queued', operations: 1 }]);
    const b = await p.caller(bob).fleet.overview({});
    expect(b).toMatchObject({ team: 'beta', total: 1, statuses: [{ status: 'requested', clusters: 1 }], runningOperations: [{ kind: 'create', status: 'running', operations: 1 }] });
  });

  it('refuses a member who names another team, and an admin who names an unknown one', async () => {
    await expectTrpcError(p.caller(bob).fleet.overview({ team: 'alpha' }), 'FORBIDDEN', /alpha/);
    await expectTrpcError(p.caller(admin).fleet.overview({ team: 'gamma' }), 'NOT_FOUND', /gamma/);
  });

  it('covers every team for a platform admin, or the one named', async () => {
    const all = await p.caller(admin).fleet.overview();
    expect(all).toMatchObject({ team: null, total: 4 });
    expect(all.runningOperations).toEqual(expect.arrayContaining([{ kind: 'create', status: 'queued', operations: 1 }, { kind: 'create', status: 'running', operations: 1 }]));
    await expect(p.caller(admin).fleet.overview({ team: 'beta' })).resolves.toMatchObject({ team: 'beta', total: 1 });
  });
});
