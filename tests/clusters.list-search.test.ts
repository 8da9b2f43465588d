/**
 * `clusters.list` search (a case-insensitive name prefix, index-backed) and each row's last
 * operation (kind, status, time), through createCaller against real PostgreSQL.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../api/auth/tokens.ts';
import { clusterListQuery } from '../api/clusters/cluster-list.ts';
import { expectTrpcError } from './support/errors.ts';
import { testPlatform, type TestPlatform } from './support/services.ts';

describe('clusters.list search and last operation', () => {
  let p: TestPlatform;
  let alice: Actor;
  let bob: Actor;
  let admin: Actor;
  let alphaId: string;
  beforeAll(async () => {
    p = await testPlatform();
    alphaId = await p.team('alpha', { maxClusters: 10, maxTotalNodes: 50 });
    const beta = await p.team('beta', { maxClusters: 10, maxTotalNodes: 50 });
    alice = await p.actor('alice', 'member', alphaId);
    bob = await p.actor('bob', 'member', beta);
    admin = await p.actor('root', 'platform-admin', null);
    for (const name of ['web-eu', 'web-us', 'api']) await p.caller(alice).clusters.create({ name, template: 'sim-dev', set: ['nodeCount=1'] });
    await p.caller(bob).clusters.create({ name: 'web-beta', template: 'sim-dev', set: ['nodeCount=1'] });
  });
  afterAll(() => p.close());

  it('finds clusters whose name starts with the search, whatever its case, only in the caller\'s team', async () => {
    const names = async (actor: Actor, input: Parameters<ReturnType<TestPlatform['caller']>['clusters']['list']>[0]) => (await p.caller(actor).clusters.list(input)).items.map((c) => c.name).sort();
    expect(await names(alice, { search: 'web' })).toEqual(['web-eu', 'web-us']);
    expect(await names(alice, { search: 'WEB-E' })).toEqual(['web-eu']);
    expect(await names(alice, { search: 'eu' })).toEqual([]); // a prefix, not a substring
    expect(await names(bob, { search: 'web' })).toEqual(['web-beta']);
    expect(await names(admin, { allTeams: true, search: 'web' })).toEqual(['web-beta', 'web-eu', 'web-us']);
    // paging keeps the search
    const first = await p.caller(alice).clusters.list({ search: 'web', limit: 1 });
    expect(first.items).toHaveLength(1);
    const second = await p.caller(alice).clusters.list({ search: 'web', limit: 1, cursor: first.nextCursor! });
    expect([first.items[0]!.name, second.items[0]!.name].sort()).toEqual(['web-eu', 'web-us']);
    expect(second.nextCursor).toBeNull();
  });

  it('refuses a search with LIKE wildcards or other characters, naming the field', async () => {
    for (const search of ['web%', 'w_b', 'a b', '']) await expectTrpcError(p.caller(alice).clusters.list({ search }), 'BAD_REQUEST', /search/);
  });

  it('shows each cluster\'s last operation: kind, status and time', async () => {
    const { items } = await p.caller(alice).clusters.list({ search: 'api' });
    expect(items[0]!.lastOperation).toMatchObject({ kind: 'create', status: 'queued' });
    const op = await p.services.db.selectFrom('operations').innerJoin('clusters', 'clusters.id', 'operations.cluster_id').select(['operations.id', 'operations.created_at']).where('clusters.name', '=', 'api').executeTakeFirstOrThrow();
    expect(items[0]!.lastOperation!.at).toBe(op.created_at.toISOString());
    // a newer operation replaces it; a finished one shows when it finished
    const finished = new Date(Date.now() + 60_000);
    await p.services.db.updateTable('operations').set({ status: 'succeeded', finished_at: finished }).where('id', '=', op.id).execute();
    await p.services.db.updateTable('clusters').set({ status: 'ready' }).where('name', '=', 'api').execute();
    await p.caller(alice).clusters.drift({ name: 'api' });
    const after = (await p.caller(alice).clusters.list({ search: 'api' })).items[0]!;
    expect(after.lastOperation).toMatchObject({ kind: 'refresh', status: 'queued' });
    await p.services.db.updateTable('operations').set({ status: 'failed', finished_at: finished }).where('kind', '=', 'refresh').execute();
    expect((await p.caller(alice).clusters.list({ search: 'api' })).items[0]!.lastOperation).toEqual({ kind: 'refresh', status: 'failed', at: finished.toISOString() });
  });

  it('reads the search and the last operations through indexes, not by scanning', async () => {
    // a handful of rows would be scanned; with scans priced out, the planner shows which indexes serve the query
    await p.services.db.transaction().execute(async (tx) => {
      await sql`set local enable_seqscan = off`.execute(tx);
      const plan = async (filter: Parameters<typeof clusterListQuery>[1]) => {
        const q = clusterListQuery(tx, filter).compile();
        const rows = await sql<{ 'QUERY PLAN': string }>`explain ${sql.raw(q.sql.replace(/\$(\d+)/g, (_, i) => sqlLiteral(q.parameters[Number(i) - 1])))}`.execute(tx);
        return rows.rows.map((r) => r['QUERY PLAN']).join('\n');
      };
      const team = await plan({ teamId: alphaId, includeDeleted: false, search: 'web', limit: 50 });
      expect(team).toMatch(/clusters_live_team_name_prefix|clusters_live_team_created/);
      expect(team).toMatch(/operations_cluster_created/);
      expect(team).not.toMatch(/Seq Scan/);
      const all = await plan({ includeDeleted: false, search: 'web', limit: 50 });
      expect(all).toMatch(/clusters_live_name_prefix|clusters_live_created/);
      expect(all).not.toMatch(/Seq Scan on (clusters|operations)/);
    });
  });
});

/** A parameter as an SQL literal, for EXPLAIN of a compiled query (test values only). */
function sqlLiteral(v: unknown): string {
  if (v instanceof Date) return `'${v.toISOString()}'`;
  if (typeof v === 'number') return String(v);
  return `'${String(v).replace(/'/g, "''")}'`;
}
