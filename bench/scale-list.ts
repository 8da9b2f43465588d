/**
 * `scale.list.*`, `scale.get.p99`, `scale.fleet.plan`: reads at fleet scale. CLUSTERS clusters
 * (default 10,000) over TEAMS teams (default 50) are inserted straight into the embedded
 * PostgreSQL, then `clusters.list` (admin `-A` and a team member, first page and deep keyset
 * pages), `clusters.get` and `fleet.plan` run through the real tRPC procedures (in process, no
 * HTTP). Each list line carries the plan PostgreSQL chose for that page (EXPLAIN ANALYZE of the
 * procedure's own query) and, as baseline, the same figure measured in this run with the
 * migration's list indexes dropped (what main had).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { authenticate, hashToken } from '../api/auth/tokens.ts';
import { clusterListQuery, type ClusterListFilter } from '../api/clusters/cluster-list.ts';
import { loadConfig } from '../api/config.ts';
import { createContextInner } from '../api/context.ts';
import type { Db } from '../api/db/schema.ts';
import { startEmbeddedPostgres } from '../api/db/embedded-postgres.ts';
import { newId } from '../api/ids.ts';
import { createLogger } from '../api/logger.ts';
import { startPlatform } from '../api/platform-process.ts';
import { appRouter } from '../api/routers/app-router.ts';
import { createCallerFactory } from '../api/trpc.ts';
import { percentile, progress, type BenchResult } from './harness.ts';

const createCaller = createCallerFactory(appRouter);
const PAGE = 50;

export interface ListScale {
  clusters: number;
  teams: number;
  /** Samples per latency figure. */
  samples: number;
}

/** Inserts the fleet: clusters spread over teams and over 30 days, 5 % deleted, one create operation each. */
async function seed(db: Db, scale: ListScale): Promise<{ teamIds: string[]; names: string[][] }> {
  const target = await db.selectFrom('targets').select('id').where('name', '=', 'sim-local').executeTakeFirstOrThrow();
  const spec = JSON.parse(fs.readFileSync(new URL('./fixtures/sim-spec.json', import.meta.url), 'utf8'));
  const teams = Array.from({ length: scale.teams }, (_, i) => ({ id: newId('t'), name: `scale-${i}`, max_clusters: scale.clusters, max_total_nodes: scale.clusters * 10 }));
  await db.insertInto('teams').values(teams).execute();
  const names: string[][] = teams.map(() => []);
  const now = Date.now();
  const versions = ['1.31', '1.32', '1.33'];
  for (let start = 0; start < scale.clusters; start += 1000) {
    const rows = Array.from({ length: Math.min(1000, scale.clusters - start) }, (_, j) => {
      const i = start + j;
      const id = newId('c');
      const team = i % scale.teams;
      const deleted = i % 20 === 7;
      if (!deleted) names[team]!.push(`scale-${i}`);
      const created = new Date(now - Math.floor(Math.random() * 30 * 86_400_000));
      return {
        id,
        team_id: teams[team]!.id,
        name: `scale-${i}`,
        target_id: target.id,
        template: 'sim-dev@1',
        spec: JSON.stringify({ ...spec, name: `scale-${i}`, kubernetesVersion: versions[i % 3] }),
        kubernetes_version: versions[i % 3]!,
        node_count: 2,
        status: deleted ? 'deleted' : 'ready',
        stack_name: `kaas-${id}`,
        labels: JSON.stringify({ ring: String(i % 4) }),
        created_at: created,
        updated_at: created,
        ...(deleted ? { deleted_at: new Date(created.getTime() + 3_600_000) } : {}),
      };
    });
    await db.insertInto('clusters').values(rows).execute();
    await db
      .insertInto('operations')
      .values(rows.map((r) => ({ id: newId('o'), cluster_id: r.id, kind: 'create', status: 'succeeded', actor: 'scale-bench', request_id: 'scale-bench', input: JSON.stringify({}), created_at: r.created_at, started_at: r.created_at, finished_at: r.created_at })))
      .execute();
  }
  // what autovacuum does soon after a bulk load; the planner needs the statistics
  await sql`analyze clusters`.execute(db);
  await sql`analyze operations`.execute(db);
  return { teamIds: teams.map((t) => t.id), names };
}

async function memberToken(db: Db, teamId: string): Promise<string> {
  const token = `kaas_${crypto.randomBytes(24).toString('base64url')}`;
  await db.insertInto('tokens').values({ id: newId('k'), subject: 'scale-member', role: 'member', team_id: teamId, token_hash: hashToken(token), created_by: 'scale-bench', expires_at: new Date(Date.now() + 86_400_000) }).execute();
  return token;
}

/** Milliseconds of one call. */
async function ms(fn: () => Promise<unknown>): Promise<number> {
  const start = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/** One line for a plan: its node chain with the indexes used, and the execution time. */
async function explain(db: Db, filter: ClusterListFilter): Promise<{ summary: string; executionMs: number }> {
  const compiled = clusterListQuery(db, filter).compile();
  const { rows } = await db.executeQuery<{ 'QUERY PLAN': unknown }>({ ...compiled, sql: `explain (analyze, buffers, format json) ${compiled.sql}` });
  const doc = (rows[0]!['QUERY PLAN'] as { Plan: PlanNode; 'Execution Time': number }[])[0]!;
  const parts: string[] = [];
  const walk = (node: PlanNode) => {
    parts.push(`${node['Node Type']}${node['Index Name'] ? ` ${node['Index Name']}` : node['Relation Name'] ? ` on ${node['Relation Name']}` : ''}${node['Sort Method'] ? ` (${node['Sort Method']})` : ''}`);
    for (const child of node.Plans ?? []) walk(child);
  };
  walk(doc.Plan);
  return { summary: parts.join(' > '), executionMs: doc['Execution Time'] };
}
type PlanNode = { 'Node Type': string; 'Index Name'?: string; 'Relation Name'?: string; 'Sort Method'?: string; Plans?: PlanNode[] };

/** The list figures: p99 of first pages and of deep pages, for an admin and for a member. */
async function listFigures(db: Db, admin: ReturnType<typeof createCaller>, member: ReturnType<typeof createCaller>, memberTeam: string, samples: number) {
  const firstPage = async (caller: ReturnType<typeof createCaller>, input: object) => {
    const times: number[] = [];
    for (let i = 0; i < samples; i++) times.push(await ms(() => caller.clusters.list({ ...input, limit: PAGE })));
    return times;
  };
  /** Walks every page with the cursor; returns the times of pages after the first `skip`, and the cursor of the deepest page. */
  const deepPages = async (caller: ReturnType<typeof createCaller>, input: object, skip: number) => {
    const times: number[] = [];
    let cursor: string | null = null;
    let page = 0;
    let deepest: string | null = null;
    const cursors: string[] = [];
    do {
      const c: string | null = cursor; // a keyset cursor: `created_at|id` of the previous page's last row
      let next: string | null = null;
      const t = await ms(async () => void (next = (await caller.clusters.list({ ...input, limit: PAGE, ...(c ? { cursor: c } : {}) })).nextCursor));
      if (page >= skip) times.push(t);
      if (next) (deepest = next), cursors.push(next);
      cursor = next;
      page++;
    } while (cursor);
    return { times, deepest, middle: cursors[Math.floor(cursors.length / 2)] ?? null, pages: page };
  };
  const adminFirst = await firstPage(admin, { allTeams: true });
  const adminDeep = await deepPages(admin, { allTeams: true }, 10);
  const memberFirst = await firstPage(member, {});
  const memberDeep = await deepPages(member, {}, 1);
  const deepCursor = (cursor: string | null) => {
    if (!cursor) return undefined;
    const [at, id] = cursor.split('|');
    return { at: new Date(at!), id: id! };
  };
  const plans = {
    adminFirst: await explain(db, { includeDeleted: false, limit: PAGE }),
    adminMiddle: await explain(db, { includeDeleted: false, limit: PAGE, after: deepCursor(adminDeep.middle) }),
    adminDeep: await explain(db, { includeDeleted: false, limit: PAGE, after: deepCursor(adminDeep.deepest) }),
    memberFirst: await explain(db, { teamId: memberTeam, includeDeleted: false, limit: PAGE }),
    memberDeep: await explain(db, { teamId: memberTeam, includeDeleted: false, limit: PAGE, after: deepCursor(memberDeep.deepest) }),
  };
  return { adminFirst, adminDeep, memberFirst, memberDeep, plans };
}

export async function* runListScale(scale: ListScale): AsyncIterable<BenchResult> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kaas-bench-scale-'));
  fs.chmodSync(dir, 0o755);
  const server = await startEmbeddedPostgres(path.join(dir, 'pg'));
  const config = loadConfig({ KAAS_HOME: path.join(dir, 'home'), PORT: '0', KAAS_LOG_LEVEL: 'silent', DATABASE_URL: server.url, KAAS_ROLE: 'api' });
  const platform = await startPlatform(config, { logger: createLogger('silent'), print: () => {} });
  try {
    const db = platform.services.db;
    progress(`scale.list: inserting ${scale.clusters} clusters over ${scale.teams} teams`);
    const { teamIds, names } = await seed(db, scale);
    const admin = createCaller(createContextInner({ services: platform.services, actor: (await authenticate(db, platform.adminToken!))! }));
    const member = createCaller(createContextInner({ services: platform.services, actor: (await authenticate(db, await memberToken(db, teamIds[0]!)))! }));
    for (let i = 0; i < 20; i++) await admin.clusters.list({ allTeams: true, limit: PAGE }); // warm-up: JIT, pool, caches

    progress('scale.list: measuring with the list indexes');
    const after = await listFigures(db, admin, member, teamIds[0]!, scale.samples);
    const getTimes: number[] = [];
    const own = names[0]!;
    for (let i = 0; i < scale.samples; i++) getTimes.push(await ms(() => member.clusters.get({ name: own[i % own.length]! })));
    // a name prefix search across every team (the console's search box): the *_name_prefix indexes
    const prefix = own[1] ?? own[0]!; // e.g. scale-50: matches scale-50, scale-500…, scale-5000… (about 1% of the fleet)
    const searchTimes: number[] = [];
    for (let i = 0; i < scale.samples; i++) searchTimes.push(await ms(() => admin.clusters.list({ allTeams: true, search: prefix, limit: PAGE })));
    const searchPlan = await explain(db, { includeDeleted: false, search: prefix, limit: PAGE });
    const overviewTimes: number[] = [];
    for (let i = 0; i < scale.samples; i++) overviewTimes.push(await ms(() => admin.fleet.overview({})));
    const planInput = { targetVersion: '1.33', waves: { canary: 10, percentages: [10, 30, 60] }, maxParallel: 50, failureThreshold: 5 };
    const planTimes: number[] = [];
    for (let i = 0; i < 5; i++) planTimes.push(await ms(() => admin.fleet.plan(planInput)));

    progress('scale.list: measuring again without them (baseline: main)');
    await sql`drop index clusters_live_created`.execute(db);
    await sql`drop index clusters_live_team_created`.execute(db);
    const before = await listFigures(db, admin, member, teamIds[0]!, scale.samples);

    const round = (n: number) => Math.round(n * 100) / 100;
    const line = (name: string, a: number[], b: number[], plan: { summary: string }, basePlan: { summary: string }): BenchResult => {
      const value = round(percentile(a, 99));
      const baseline = round(percentile(b, 99));
      return { name, value, unit: 'ms', baseline, ratio: round(value / baseline), detail: `p50 ${round(percentile(a, 50))} ms (without the indexes ${round(percentile(b, 50))} ms); plan: ${plan.summary}; without the indexes: ${basePlan.summary}` };
    };
    yield line('scale.list.admin.p99', after.adminFirst, before.adminFirst, after.plans.adminFirst, before.plans.adminFirst);
    yield line('scale.list.admin.deep.p99', after.adminDeep.times, before.adminDeep.times, { summary: `middle page ${after.plans.adminMiddle.summary}; last page ${after.plans.adminDeep.summary}` }, { summary: `middle page ${before.plans.adminMiddle.summary}` });
    yield line('scale.list.member.p99', after.memberFirst, before.memberFirst, after.plans.memberFirst, before.plans.memberFirst);
    if (after.memberDeep.times.length > 0) yield line('scale.list.member.deep.p99', after.memberDeep.times, before.memberDeep.times, after.plans.memberDeep, before.plans.memberDeep);
    yield { name: 'scale.list.search.p99', value: round(percentile(searchTimes, 99)), unit: 'ms', detail: `p50 ${round(percentile(searchTimes, 50))} ms; admin, every team, search "${prefix}"; plan: ${searchPlan.summary}` };
    yield { name: 'scale.fleet.overview.p99', value: round(percentile(overviewTimes, 99)), unit: 'ms', detail: `p50 ${round(percentile(overviewTimes, 50))} ms; admin, the whole fleet of ${scale.clusters} clusters in three group-bys` };
    yield { name: 'scale.get.p99', value: round(percentile(getTimes, 99)), unit: 'ms', detail: `p50 ${round(percentile(getTimes, 50))} ms; findCluster reads clusters_live_name (team_id, name)` };
    yield { name: 'scale.fleet.plan', value: round(percentile(planTimes, 50)), unit: 'ms', detail: `median of 5 plans over ${scale.clusters} clusters; max ${round(Math.max(...planTimes))} ms` };
    yield { name: 'scale.list.pages', value: after.adminDeep.pages, unit: 'pages', detail: `admin pages of ${PAGE} walked with the cursor (deep p99 over pages 11+); member: ${after.memberDeep.pages} pages` };
  } finally {
    await platform.stop();
    await server.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
