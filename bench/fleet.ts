/**
 * `fleet.plan`: planning a campaign over 10,000 clusters stored in PostgreSQL, through the API's
 * own procedure (`fleet.plan` via a tRPC caller), median of 5. `fleet.e2e`: the wall time of a
 * real campaign on the sim cloud (8 clusters, canary + 2 waves, maxParallel 4, worker concurrency
 * 4), from `fleet.start` to `completed`, against the ideal — the sum over waves of the longest
 * upgrade operation of the wave (started → finished, from the operations table) — as baseline.
 * `fleet.e2e.gated`: the same over 50 clusters whose template adds user checks to the built-in
 * health gates, with the gates' own cost reported (`fleet.e2e.gated.gate-cost`).
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
import { startPlatform, type RunningPlatform } from '../api/platform-process.ts';
import { appRouter } from '../api/routers/app-router.ts';
import { createCallerFactory } from '../api/trpc.ts';
import type { UpgradeProgress } from '../api/clusters/upgrade-input.ts';
import { compared, median, progress, timeSeconds, type Benchmark, type BenchResult } from './harness.ts';

const FLEET_SIZE = 10_000;
const E2E_CLUSTERS = 8;
const createCaller = createCallerFactory(appRouter);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Inserts FLEET_SIZE ready clusters (three versions, ten teams) in bulk. */
async function seedFleet(platform: RunningPlatform): Promise<void> {
  const db = platform.services.db;
  const target = await db.selectFrom('targets').select('id').where('name', '=', 'sim-local').executeTakeFirstOrThrow();
  const spec = JSON.parse(fs.readFileSync(new URL('./fixtures/sim-spec.json', import.meta.url), 'utf8'));
  const teams = Array.from({ length: 10 }, (_, i) => ({ id: newId('t'), name: `bulk-${i}`, max_clusters: 10_000, max_total_nodes: 1_000_000 }));
  await db.insertInto('teams').values(teams).execute();
  const versions = ['1.31', '1.32', '1.33'];
  for (let start = 0; start < FLEET_SIZE; start += 1000) {
    const rows = Array.from({ length: Math.min(1000, FLEET_SIZE - start) }, (_, j) => {
      const i = start + j;
      const id = newId('c');
      const version = versions[i % 3]!;
      return {
        id,
        team_id: teams[i % 10]!.id,
        name: `bulk-${i}`,
        target_id: target.id,
        template: 'sim-dev@1',
        spec: JSON.stringify({ ...spec, name: `bulk-${i}`, kubernetesVersion: version }),
        kubernetes_version: version,
        node_count: 2,
        status: 'ready',
        stack_name: `kaas-${id}`,
        labels: JSON.stringify({ ring: String(i % 4) }),
      };
    });
    await db.insertInto('clusters').values(rows).execute();
  }
}

async function* runFleetBench(): AsyncIterable<BenchResult> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kaas-bench-fleet-'));
  fs.chmodSync(dir, 0o755);
  const server = await startEmbeddedPostgres(path.join(dir, 'pg'));
  const home = path.join(dir, 'home');
  fs.mkdirSync(path.join(home, 'state'), { recursive: true });
  const config = loadConfig({ KAAS_HOME: home, PORT: '0', KAAS_LOG_LEVEL: 'silent', DATABASE_URL: server.url, KAAS_WORKER_CONCURRENCY: '4', KAAS_PULUMI_BACKEND: pathToFileURL(path.join(home, 'state')).href });
  const platform = await startPlatform(config, { logger: createLogger('silent'), print: () => {}, run: { retries: 0 } });
  try {
    const actor = await authenticate(platform.services.db, platform.adminToken!);
    const caller = createCaller(createContextInner({ services: platform.services, actor: actor! }));

    progress(`fleet.plan: inserting ${FLEET_SIZE} clusters`);
    await seedFleet(platform);
    const input = { targetVersion: '1.33', waves: { canary: 10, percentages: [10, 30, 60] }, maxParallel: 50, failureThreshold: 5 };
    const samples: number[] = [];
    let planned = 0;
    for (let i = 0; i < 5; i++) samples.push(await timeSeconds(async () => void (planned = (await caller.fleet.plan(input)).total)));
    progress(`fleet.plan: ${planned} of ${FLEET_SIZE} clusters planned`);
    yield { name: 'fleet.plan', value: Math.round(median(samples) * 1000) / 1000, unit: 's' };

    yield* campaignBench(platform, caller, { name: 'fleet.e2e', clusters: E2E_CLUSTERS, template: 'sim-dev', waves: { canary: 1, percentages: [50, 50] }, maxParallel: 4 });
  } finally {
    await platform.stop();
    await server.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

type Caller = ReturnType<typeof createCaller>;

/**
 * Creates `clusters` sim clusters at 1.32 from `template`, runs a campaign to 1.33 over them, and
 * yields its wall time against the ideal: the sum over waves of the longest upgrade operation of
 * the wave (started → finished). Also reports the health gates' own cost (from each operation's
 * recorded gates), which the ideal includes, as the gates run inside the operations.
 */
async function* campaignBench(
  platform: RunningPlatform,
  caller: Caller,
  opts: { name: string; clusters: number; template: string; waves: { canary: number; percentages: number[] }; maxParallel: number },
): AsyncIterable<BenchResult> {
  const team = `bench-${opts.name.replace(/\./g, '-')}`;
  progress(`${opts.name}: creating ${opts.clusters} sim clusters`);
  await platform.services.db.insertInto('teams').values({ id: newId('t'), name: team, max_clusters: opts.clusters, max_total_nodes: opts.clusters * 10 }).execute();
  const ops = [];
  for (let i = 0; i < opts.clusters; i++) {
    ops.push((await caller.clusters.create({ team, name: `e2e-${i}`, template: opts.template, set: ['kubernetesVersion=1.32', 'nodeCount=1'] })).operation.id);
  }
  while ((await platform.services.db.selectFrom('operations').select('id').where('id', 'in', ops).where('status', 'in', ['queued', 'running']).execute()).length > 0) await sleep(200);
  const failedCreates = await platform.services.db.selectFrom('operations').select('id').where('id', 'in', ops).where('status', '!=', 'succeeded').execute();
  if (failedCreates.length > 0) throw new Error(`${failedCreates.length} benchmark cluster(s) failed to create`);

  progress(`${opts.name}: running the campaign`);
  const started = performance.now();
  const { campaign } = await caller.fleet.start({ name: `bench-${team}`, targetVersion: '1.33', selector: { team }, waves: opts.waves, maxParallel: opts.maxParallel });
  let status = campaign.status;
  while (status !== 'completed' && status !== 'halted') {
    await sleep(25);
    status = (await platform.services.db.selectFrom('campaigns').select('status').where('id', '=', campaign.id).executeTakeFirstOrThrow()).status;
  }
  const wall = (performance.now() - started) / 1000;
  if (status !== 'completed') throw new Error(`the benchmark campaign ${status}`);
  const rows = await platform.services.db
    .selectFrom('campaign_clusters')
    .innerJoin('operations', 'operations.id', 'campaign_clusters.operation_id')
    .select(['campaign_clusters.wave', 'operations.started_at', 'operations.finished_at', 'operations.result'])
    .where('campaign_clusters.campaign_id', '=', campaign.id)
    .execute();
  const longest = new Map<number, number>();
  let gateMs = 0;
  let gates = 0;
  let opSeconds = 0;
  for (const r of rows) {
    const seconds = (r.finished_at!.getTime() - r.started_at!.getTime()) / 1000;
    opSeconds += seconds;
    longest.set(r.wave!, Math.max(longest.get(r.wave!) ?? 0, seconds));
    for (const g of (r.result as Partial<UpgradeProgress> | null)?.gates ?? []) {
      gateMs += g.elapsedMs;
      gates += 1;
    }
  }
  progress(`${opts.name}: ${rows.length} upgrades in ${longest.size} waves; longest per wave ${[...longest.values()].map((s) => s.toFixed(2)).join(', ')} s`);
  progress(`${opts.name}: ${gates} health gates took ${(gateMs / 1000).toFixed(3)} s in total (${gates ? (gateMs / gates).toFixed(1) : 0} ms each, ${((gateMs / 1000 / opSeconds) * 100).toFixed(2)}% of upgrade operation time)`);
  yield compared(opts.name, wall, [...longest.values()].reduce((a, b) => a + b, 0));
  yield { name: `${opts.name}.gate-cost`, value: Math.round(gateMs) / 1000, unit: 's', baseline: `${gates} gates, ${((gateMs / 1000 / opSeconds) * 100).toFixed(2)}% of ${opSeconds.toFixed(1)} s of upgrade operations` };
}

/**
 * `fleet.e2e.gated`: a campaign over GATED_CLUSTERS sim clusters built from a template that also
 * declares user checks (a Prometheus threshold and a Job) on top of the built-in gates: a canary of
 * 2, then 25/25/50 %. `maxParallel`, the worker concurrency and the per-team cap (all clusters
 * are one team's) cover the largest wave, because the ideal (the longest cluster of each wave)
 * assumes a wave runs all at once; the team cap's default of 4 held the 50-cluster run to 4 at once.
 * `KAAS_BENCH_GATED_CLUSTERS` runs it over fewer clusters (a quick check on a loaded machine).
 */
const GATED_CLUSTERS = Number(process.env.KAAS_BENCH_GATED_CLUSTERS ?? 50);

async function* runGatedFleetBench(): AsyncIterable<BenchResult> {
  if (!Number.isInteger(GATED_CLUSTERS) || GATED_CLUSTERS < 3) throw new Error('KAAS_BENCH_GATED_CLUSTERS must be an integer of at least 3');
  const waves = { canary: 2, percentages: [25, 25, 50] };
  const largestWave = Math.ceil(((GATED_CLUSTERS - waves.canary) * 50) / 100);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kaas-bench-fleet-gated-'));
  fs.chmodSync(dir, 0o755);
  const server = await startEmbeddedPostgres(path.join(dir, 'pg'));
  const home = path.join(dir, 'home');
  fs.mkdirSync(path.join(home, 'state'), { recursive: true });
  const config = loadConfig({ KAAS_HOME: home, PORT: '0', KAAS_LOG_LEVEL: 'silent', DATABASE_URL: server.url, KAAS_WORKER_CONCURRENCY: String(largestWave), KAAS_TEAM_MAX_RUNNING: String(largestWave), KAAS_PULUMI_BACKEND: pathToFileURL(path.join(home, 'state')).href });
  const platform = await startPlatform(config, { logger: createLogger('silent'), print: () => {}, run: { retries: 0 } });
  try {
    const actor = await authenticate(platform.services.db, platform.adminToken!);
    const caller = createCaller(createContextInner({ services: platform.services, actor: actor! }));
    const query = 'sum(rate(apiserver_request_total{code=~"5.."}[5m]))';
    fs.mkdirSync(config.simCloudDir, { recursive: true });
    fs.writeFileSync(path.join(config.simCloudDir, 'faults.json'), JSON.stringify({ metrics: [{ query, value: 0 }] }));
    const checks = `\n    checks:\n      prometheus:\n        - { name: apiserver-5xx, query: '${query}', max: 0.05 }\n      jobs:\n        - { name: smoke, namespace: default, image: 'busybox:1.37', command: ['true'] }`;
    const yaml = fs.readFileSync(new URL('../templates/sim-dev.yaml', import.meta.url), 'utf8').replace(/^name: sim-dev$/m, 'name: sim-gated').replace(/^spec:$/m, `spec:\n  upgrade:\n    gateTimeoutSeconds: 60${checks}`);
    await caller.templates.publish({ yaml });
    yield* campaignBench(platform, caller, { name: 'fleet.e2e.gated', clusters: GATED_CLUSTERS, template: 'sim-gated', waves, maxParallel: largestWave });
  } finally {
    await platform.stop();
    await server.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export const fleetBenchmarks: Benchmark[] = [
  { group: 'fleet', names: ['fleet.plan', 'fleet.e2e'], run: runFleetBench },
  { group: 'fleet', names: ['fleet.e2e.gated', 'fleet.e2e.gated.gate-cost'], run: runGatedFleetBench },
];
