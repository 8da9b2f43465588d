/**
 * `api.list`: authenticated `clusters.list` (50 rows) requests per second through the real HTTP
 * server, against a minimal `node:http` + `pg` handler that authenticates the same way and runs the
 * same query, as baseline. `queue.latency.p50/p99`: enqueue-to-start latency of operation jobs
 * through the platform's queue (jobs sent one at a time, so it measures latency, not backlog).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { hashToken } from '../api/auth/tokens.ts';
import { loadConfig } from '../api/config.ts';
import { connect } from '../api/db/database.ts';
import { startEmbeddedPostgres } from '../api/db/embedded-postgres.ts';
import { newId } from '../api/ids.ts';
import { createLogger } from '../api/logger.ts';
import { startPlatform } from '../api/platform-process.ts';
import { OperationQueue } from '../api/queue/operation-queue.ts';
import { compared, progress, type Benchmark, type BenchResult } from './harness.ts';

const DURATION_MS = Number(process.env.KAAS_BENCH_SECONDS ?? 5) * 1000;
const CONCURRENCY = 8;

/** Requests per second of `url` with CONCURRENCY requests in flight for DURATION_MS. */
async function throughput(url: string, token: string): Promise<number> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const get = () =>
    new Promise<void>((resolve, reject) => {
      http
        .get(url, { agent, headers: { authorization: `Bearer ${token}` } }, (res) => {
          res.resume();
          res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`HTTP ${res.statusCode} from ${url}`))));
        })
        .on('error', reject);
    });
  for (let i = 0; i < 50; i++) await get(); // warm-up
  let count = 0;
  const deadline = Date.now() + DURATION_MS;
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (Date.now() < deadline) {
        await get();
        count++;
      }
    }),
  );
  agent.destroy();
  return count / (Number(process.hrtime.bigint() - started) / 1e9);
}

/** The minimal handler: token lookup by hash, then the same clusters page query, as JSON. */
function baselineServer(pool: pg.Pool): http.Server {
  return http.createServer(async (req, res) => {
    const token = (req.headers.authorization ?? '').slice(7);
    const auth = await pool.query('select team_id from tokens where token_hash = $1 and revoked_at is null and expires_at > now()', [hashToken(token)]);
    if (auth.rowCount === 0) return void res.writeHead(401).end();
    const rows = await pool.query('select * from clusters where team_id = $1 and deleted_at is null order by created_at desc, id desc limit 51', [auth.rows[0].team_id]);
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ items: rows.rows.slice(0, 50) }));
  });
}

async function seed(url: string): Promise<{ token: string; teamId: string }> {
  const { db, close } = connect(url);
  const teamId = newId('t');
  await db.insertInto('teams').values({ id: teamId, name: 'bench', max_clusters: 1000, max_total_nodes: 100000 }).execute();
  const target = await db.selectFrom('targets').select('id').where('name', '=', 'sim-local').executeTakeFirstOrThrow();
  const token = `kaas_${crypto.randomBytes(24).toString('base64url')}`;
  await db.insertInto('tokens').values({ id: newId('k'), subject: 'bench', role: 'member', team_id: teamId, token_hash: hashToken(token), created_by: 'bench', expires_at: new Date(Date.now() + 86_400_000) }).execute();
  const spec = JSON.parse(fs.readFileSync(new URL('./fixtures/sim-spec.json', import.meta.url), 'utf8'));
  await db
    .insertInto('clusters')
    .values(Array.from({ length: 60 }, (_, i) => { const id = newId('c'); return { id, team_id: teamId, name: `bench-${i}`, target_id: target.id, template: 'sim-dev@1', spec: JSON.stringify(spec), kubernetes_version: '1.33', node_count: 2, status: 'ready', stack_name: `kaas-${id}` }; }))
    .execute();
  await close();
  return { token, teamId };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function* runApiBench(): AsyncIterable<BenchResult> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kaas-bench-api-'));
  fs.chmodSync(dir, 0o755);
  const server = await startEmbeddedPostgres(path.join(dir, 'pg'));
  const home = path.join(dir, 'home');
  const config = loadConfig({ KAAS_HOME: home, PORT: '0', KAAS_LOG_LEVEL: 'silent', DATABASE_URL: server.url, KAAS_ROLE: 'api' });
  const platform = await startPlatform(config, { logger: createLogger('silent'), print: () => {} });
  const baselinePool = new pg.Pool({ connectionString: server.url, max: 10 });
  const baseline = baselineServer(baselinePool);
  try {
    const { token } = await seed(server.url);
    await new Promise<void>((r) => baseline.listen(0, '127.0.0.1', () => r()));
    const baseUrl = `http://127.0.0.1:${(baseline.address() as AddressInfo).port}/`;
    const input = encodeURIComponent(JSON.stringify({ limit: 50 }));
    const apiUrl = `${platform.url}/trpc/clusters.list?input=${input}`;
    const samples = { api: [] as number[], base: [] as number[] };
    for (let round = 0; round < 3; round++) {
      progress(`api.list round ${round + 1}/3`);
      samples.api.push(await throughput(apiUrl, token));
      samples.base.push(await throughput(baseUrl, token));
    }
    const best = (xs: number[]) => xs.sort((a, b) => a - b)[1]!; // median of 3
    const api = best(samples.api);
    const base = best(samples.base);
    yield { ...compared('api.list', api, base, 'req/s'), value: Math.round(api), baseline: Math.round(base) };

    progress('queue latency');
    const queue = await OperationQueue.start(server.url);
    const latencies: number[] = [];
    const started = new Map<string, (at: number) => void>();
    await queue.work({ concurrency: 1, teamMaxRunning: 1 }, async (job) => started.get(job.data.operationId)?.(performance.now()));
    const { db, close } = connect(server.url);
    for (let i = 0; i < 100; i++) {
      const id = `bench-${i}`;
      const at = new Promise<number>((resolve) => started.set(id, resolve));
      const sent = performance.now();
      await db.transaction().execute((tx) => queue.enqueue(tx, { operationId: id }, { teamId: 'bench', background: false, teamQueuedAhead: 0 }));
      latencies.push((await at) - sent);
      await new Promise((r) => setTimeout(r, 20));
    }
    latencies.sort((a, b) => a - b);
    yield { name: 'queue.latency.p50', value: Math.round(percentile(latencies, 50) * 10) / 10, unit: 'ms' };
    yield { name: 'queue.latency.p99', value: Math.round(percentile(latencies, 99) * 10) / 10, unit: 'ms' };
    await close();
    await queue.stop();
  } finally {
    baseline.close();
    await baselinePool.end();
    await platform.stop();
    await server.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export const apiBenchmarks: Benchmark[] = [{ group: 'api', names: ['api.list', 'queue.latency.p50', 'queue.latency.p99'], run: runApiBench }];
