/**
 * `scale.throughput.*` and `scale.overhead`: sim creates through the whole platform (tRPC
 * `clusters.create` → queue → worker → engine → PostgreSQL) at worker concurrency 1, 4 and 8.
 * Per level: creates per minute (first request to last finish), peak resident memory of the
 * process tree (this process, the embedded PostgreSQL, every `pulumi` CLI and provider), memory
 * per concurrent operation ((peak − idle) ÷ concurrency), CPU seconds of the tree per create, and
 * the platform overhead: each operation's worker time (started → finished) minus the time spent
 * inside the engine's calls for its stack, summed, as a fraction of the engine time.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { authenticate } from '../api/auth/tokens.ts';
import { loadConfig } from '../api/config.ts';
import { createContextInner } from '../api/context.ts';
import { startEmbeddedPostgres } from '../api/db/embedded-postgres.ts';
import { newId } from '../api/ids.ts';
import { createLogger } from '../api/logger.ts';
import { startPlatform } from '../api/platform-process.ts';
import { appRouter } from '../api/routers/app-router.ts';
import { createCallerFactory } from '../api/trpc.ts';
import type { Engine } from '../stacks/engine/engine.ts';
import { progress, type BenchResult } from './harness.ts';
import { rssSampler, treeCpuSeconds, treeRssBytes } from './scale-proc.ts';

const createCaller = createCallerFactory(appRouter);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const ENGINE_CALLS = ['up', 'preview', 'refresh', 'destroy', 'resources', 'remove', 'outputs'] as const;

export interface OpsScale {
  concurrency: number[];
  /** Creates per concurrency level. */
  creates: number;
}

/** Wraps the engine's calls to add up, per stack, the seconds spent inside them. */
function timeEngine(engine: Engine): Map<string, number> {
  const spent = new Map<string, number>();
  for (const name of ENGINE_CALLS) {
    const call = (engine[name] as (...args: unknown[]) => Promise<unknown>).bind(engine);
    (engine as unknown as Record<string, unknown>)[name] = async (...args: unknown[]) => {
      const stack = typeof args[0] === 'string' ? args[0] : (args[0] as { stackName: string }).stackName;
      const start = performance.now();
      try {
        return await call(...args);
      } finally {
        spent.set(stack, (spent.get(stack) ?? 0) + (performance.now() - start) / 1000);
      }
    };
  }
  return spent;
}

async function level(concurrency: number, creates: number): Promise<{ perMinute: number; peak: number; perOp: number; overhead: number; cpuPerCreate: number; failed: number }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kaas-bench-scale-ops-'));
  fs.chmodSync(dir, 0o755);
  const server = await startEmbeddedPostgres(path.join(dir, 'pg'));
  const home = path.join(dir, 'home');
  fs.mkdirSync(path.join(home, 'state'), { recursive: true });
  const config = loadConfig({ KAAS_HOME: home, PORT: '0', KAAS_LOG_LEVEL: 'silent', DATABASE_URL: server.url, KAAS_WORKER_CONCURRENCY: String(concurrency), KAAS_DRIFT_INTERVAL_MINUTES: '0', KAAS_PULUMI_BACKEND: pathToFileURL(path.join(home, 'state')).href });
  const platform = await startPlatform(config, { logger: createLogger('silent'), print: () => {}, run: { retries: 0 } });
  try {
    const spent = timeEngine(platform.services.engine as Engine);
    const db = platform.services.db;
    const caller = createCaller(createContextInner({ services: platform.services, actor: (await authenticate(db, platform.adminToken!))! }));
    await db.insertInto('teams').values({ id: newId('t'), name: 'bench', max_clusters: creates + 10, max_total_nodes: 100 * creates }).execute();
    await sleep(1000);
    const idle = treeRssBytes();
    const memory = rssSampler();
    const cpu = treeCpuSeconds();
    const started = performance.now();
    const ops: string[] = [];
    for (let i = 0; i < creates; i++) ops.push((await caller.clusters.create({ team: 'bench', name: `tp-${i}`, template: 'sim-dev' })).operation.id);
    while ((await db.selectFrom('operations').select('id').where('id', 'in', ops).where('status', 'in', ['queued', 'running']).execute()).length > 0) await sleep(100);
    const wall = (performance.now() - started) / 1000;
    const cpuUsed = treeCpuSeconds() - cpu;
    const peak = memory.stop();
    const rows = await db.selectFrom('operations').innerJoin('clusters', 'clusters.id', 'operations.cluster_id').select(['operations.status', 'operations.started_at', 'operations.finished_at', 'clusters.stack_name']).where('operations.id', 'in', ops).execute();
    let engineSeconds = 0;
    let workerSeconds = 0;
    for (const r of rows) {
      workerSeconds += (r.finished_at!.getTime() - r.started_at!.getTime()) / 1000;
      engineSeconds += spent.get(r.stack_name) ?? 0;
    }
    return { perMinute: (creates / wall) * 60, peak, perOp: (peak - idle) / concurrency, overhead: (workerSeconds - engineSeconds) / engineSeconds, cpuPerCreate: cpuUsed / creates, failed: rows.filter((r) => r.status !== 'succeeded').length };
  } finally {
    await platform.stop();
    await server.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export async function* runOpsScale(scale: OpsScale): AsyncIterable<BenchResult> {
  const mb = (b: number) => Math.round(b / 1024 / 1024);
  const r = (x: number, d = 3) => Math.round(x * 10 ** d) / 10 ** d;
  let overheadAt1: number | undefined;
  for (const c of scale.concurrency) {
    progress(`scale.throughput: ${scale.creates} sim creates at worker concurrency ${c}`);
    const m = await level(c, scale.creates);
    if (m.failed > 0) throw new Error(`${m.failed} of ${scale.creates} benchmark creates did not succeed at concurrency ${c}`);
    yield { name: `scale.throughput.c${c}.creates_per_min`, value: r(m.perMinute, 2), unit: 'creates/min' };
    yield { name: `scale.throughput.c${c}.peak_rss`, value: mb(m.peak), unit: 'MB', detail: 'process tree: platform, embedded PostgreSQL, CLI and provider processes' };
    yield { name: `scale.throughput.c${c}.rss_per_op`, value: mb(m.perOp), unit: 'MB', detail: '(peak − idle) ÷ concurrency' };
    yield { name: `scale.throughput.c${c}.cpu_per_create`, value: r(m.cpuPerCreate), unit: 'cpu-s', detail: 'whole tree, API and worker included' };
    yield { name: `scale.throughput.c${c}.overhead`, value: r(m.overhead, 4), unit: 'fraction', detail: 'Σ(worker time − engine time) ÷ Σ engine time; goal < 0.05' };
    overheadAt1 ??= m.overhead;
  }
  if (overheadAt1 !== undefined) yield { name: 'scale.overhead', value: r(overheadAt1, 4), unit: 'fraction', detail: `platform overhead ÷ engine time at concurrency ${scale.concurrency[0]}; goal < 0.05` };
}
