/** `clusters.createPreview`: the plan of a create — spec, quota verdict, name check, resources — that stores and starts nothing. */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../api/auth/tokens.ts';
import { expectTrpcError } from './support/errors.ts';
import { testPlatform, type TestPlatform } from './support/services.ts';

describe('clusters.createPreview', () => {
  let p: TestPlatform;
  let alice: Actor;
  let admin: Actor;
  beforeAll(async () => {
    p = await testPlatform();
    const team = await p.team('payments', { maxClusters: 2, maxTotalNodes: 4 });
    alice = await p.actor('alice', 'member', team);
    admin = await p.actor('root', 'platform-admin', null);
  });
  afterAll(() => p.close());

  const counts = async () => {
    const db = p.services.db;
    const n = async (table: 'clusters' | 'operations' | 'audit') => Number((await db.selectFrom(table).select(sql<string>`count(*)`.as('n')).executeTakeFirstOrThrow()).n);
    const jobs = await sql<{ n: string }>`select count(*) as n from pgboss.job`.execute(db).then((r) => Number(r.rows[0]!.n), () => 0);
    return { clusters: await n('clusters'), operations: await n('operations'), jobs };
  };

  it('resolves the template with the parameters into the spec and lists the sim resources, storing and starting nothing', async () => {
    const before = await counts();
    const plan = await p.caller(alice).clusters.createPreview({ name: 'web', template: 'sim-dev', set: ['nodeCount=2'], labels: {} });
    expect(plan).toMatchObject({ template: 'sim-dev@1', target: 'sim-local', simulated: true, nameAvailable: true, wouldCreate: true, quota: { ok: true, refusal: null, usage: { clusters: 0, nodes: 0 }, limits: { maxClusters: 2, maxTotalNodes: 4 } } });
    expect(plan.spec).toMatchObject({ name: 'web', team: 'payments', template: 'sim-dev@1' });
    expect(plan.spec.nodePools.reduce((n, pool) => n + pool.desiredSize, 0)).toBe(2);
    expect(plan.resources.exact).toBe(true);
    expect(plan.resources.resources.map((r) => r.name)).toEqual(expect.arrayContaining(['web', 'control-plane', ...plan.spec.nodePools.map((pool) => `pool-${pool.name}`)]));
    expect(await counts()).toEqual(before);
  });

  it('says the quota would refuse, and why, without throwing', async () => {
    const plan = await p.caller(alice).clusters.createPreview({ name: 'big', template: 'sim-dev', set: ['nodeCount=5'], labels: {} });
    expect(plan.wouldCreate).toBe(false);
    expect(plan.quota).toMatchObject({ ok: false, refusal: { code: 'QUOTA_EXCEEDED', message: expect.stringMatching(/node quota/) } });
  });

  it('says when the name is taken', async () => {
    await p.caller(alice).clusters.create({ name: 'taken', template: 'sim-dev', set: ['nodeCount=1'] });
    const plan = await p.caller(alice).clusters.createPreview({ name: 'taken', template: 'sim-dev', set: ['nodeCount=1'], labels: {} });
    expect(plan).toMatchObject({ nameAvailable: false, wouldCreate: false, quota: { ok: true, usage: { clusters: 1, nodes: 1 } } });
  });

  it('refuses a bad parameter and an unknown template or target the way create does', async () => {
    await expectTrpcError(p.caller(alice).clusters.createPreview({ name: 'x', template: 'sim-dev', set: ['nodeCount=abc'], labels: {} }), 'BAD_REQUEST', /nodeCount/);
    await expectTrpcError(p.caller(alice).clusters.createPreview({ name: 'x', template: 'nope', set: [], labels: {} }), 'NOT_FOUND', /nope/);
    await expectTrpcError(p.caller(alice).clusters.createPreview({ name: 'x', template: 'sim-dev', target: 'elsewhere', set: [], labels: {} }), 'NOT_FOUND', /elsewhere/);
    await expectTrpcError(p.caller(admin).clusters.createPreview({ name: 'x', template: 'sim-dev', set: [], labels: {} }), 'BAD_REQUEST', /must name the team/);
  });
});
