/**
 * `cli.help` and `cli.list`: wall time of `kaas --help` and `kaas clusters list` (against a real
 * API with an embedded PostgreSQL, 20 clusters), as the user runs them (`./kaas`, the shipped
 * bundle), median of KAAS_BENCH_RUNS runs (default 15), with `kubectl version --client` timed
 * in the same loop, interleaved, as baseline. Without a kubectl (KAAS_KUBECTL, else `kubectl` on
 * PATH) the results say so instead of giving a ratio. KAAS_BENCH_CLI times another `kaas`.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { issueToken } from '../api/auth/tokens.ts';
import { loadConfig } from '../api/config.ts';
import { startEmbeddedPostgres } from '../api/db/embedded-postgres.ts';
import { newId } from '../api/ids.ts';
import { createLogger } from '../api/logger.ts';
import { startPlatform } from '../api/platform-process.ts';
import { compared, median, progress, type Benchmark, type BenchResult } from './harness.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** The CLI to time: this clone's `./kaas`, or KAAS_BENCH_CLI (e.g. an older checkout's, to compare). */
const KAAS = process.env.KAAS_BENCH_CLI ?? path.join(ROOT, 'kaas');
const RUNS = Number(process.env.KAAS_BENCH_RUNS ?? 15);

/** Milliseconds one run of `cmd args` takes, start to exit; rejects when it fails. Asynchronous: the API it calls runs in this process. */
function timeRun(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn(cmd, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      if (code === 0) resolve(ms);
      else reject(new Error(`${cmd} ${args.join(' ')} exited with ${code ?? signal}: ${stderr}`));
    });
  });
}

/** The kubectl to compare with and its version line, or undefined when there is none. */
function findKubectl(): { bin: string; version: string } | undefined {
  const bin = process.env.KAAS_KUBECTL ?? 'kubectl';
  const r = spawnSync(bin, ['version', '--client'], { encoding: 'utf8' });
  return r.status === 0 ? { bin, version: r.stdout.split('\n')[0]!.trim() } : undefined;
}

async function* runCliBench(): AsyncIterable<BenchResult> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kaas-bench-cli-'));
  fs.chmodSync(dir, 0o755);
  const pg = await startEmbeddedPostgres(path.join(dir, 'pg'));
  const config = loadConfig({ KAAS_HOME: path.join(dir, 'home'), PORT: '0', KAAS_LOG_LEVEL: 'silent', DATABASE_URL: pg.url, KAAS_ROLE: 'api' });
  const platform = await startPlatform(config, { logger: createLogger('silent'), print: () => {} });
  try {
    const db = platform.services.db;
    const teamId = newId('t');
    await db.insertInto('teams').values({ id: teamId, name: 'bench', max_clusters: 100, max_total_nodes: 1000 }).execute();
    const target = await db.selectFrom('targets').select('id').where('name', '=', 'sim-local').executeTakeFirstOrThrow();
    const spec = JSON.parse(fs.readFileSync(new URL('./fixtures/sim-spec.json', import.meta.url), 'utf8'));
    await db
      .insertInto('clusters')
      .values(Array.from({ length: 20 }, (_, i) => { const id = newId('c'); return { id, team_id: teamId, name: `bench-${i}`, target_id: target.id, template: 'sim-dev@1', spec: JSON.stringify(spec), kubernetes_version: '1.33', node_count: 2, status: 'ready', stack_name: `kaas-${id}` }; }))
      .execute();
    const { token } = await issueToken(db, { subject: 'bench', role: 'member', teamId, createdBy: 'bench', ttlDays: 1 });
    const env = { PATH: `${path.dirname(process.execPath)}:${process.env.PATH ?? ''}`, HOME: dir, KAAS_CONFIG: path.join(dir, 'kaas.json'), KAAS_URL: platform.url!, KAAS_TOKEN: token };
    const kubectl = findKubectl();
    progress(kubectl ? `baseline: ${kubectl.bin} version --client (${kubectl.version})` : 'kubectl unavailable: no ratio');
    // warm-up: builds the bundle if it is stale and fills Node's compile cache, as a user's first run does
    await timeRun(KAAS, ['--help'], env);
    await timeRun(KAAS, ['clusters', 'list'], env);
    const times = { help: [] as number[], list: [] as number[], kubectl: [] as number[] };
    for (let i = 0; i < RUNS; i++) {
      times.help.push(await timeRun(KAAS, ['--help'], env));
      times.list.push(await timeRun(KAAS, ['clusters', 'list'], env));
      if (kubectl) times.kubectl.push(await timeRun(kubectl.bin, ['version', '--client'], env));
    }
    for (const name of ['help', 'list'] as const) {
      const value = median(times[name]);
      yield kubectl ? compared(`cli.${name}`, value, median(times.kubectl), 'ms') : { name: `cli.${name}`, value: Math.round(value * 1000) / 1000, unit: 'ms', baseline: 'kubectl unavailable' };
    }
  } finally {
    await platform.stop();
    await pg.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export const cliBenchmarks: Benchmark[] = [{ group: 'cli', names: ['cli.help', 'cli.list'], run: runCliBench }];
