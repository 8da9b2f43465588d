/**
 * Many processes, nothing lost (issue 14, item 1): 2 API (KAAS_ROLE=api) and 3 worker
 * (KAAS_ROLE=worker) processes on one PostgreSQL, sharing one file:// state backend, passphrase
 * and sim cloud directory. 100 sim operations (creates, updates, deletes through the HTTP API)
 * run while random workers and APIs are SIGKILLed and restarted. Then every operation has ended
 * exactly once (one row, one pg-boss job, completed; no stuck or duplicated one), the sim cloud
 * holds exactly the resources of the live clusters (none of a deleted one, none twice), and no two
 * engines ever held one stack at once (a sampler of the state's lock files; engine commands seen
 * in /proc on one stack at once are printed — see EngineSampler).
 * Finally a rolling restart (SIGTERM one process at a time) while operations run loses nothing.
 * KAAS_FLEET_TEST_OPERATIONS scales the run (default 100); takeover times are printed.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueToken } from '../api/auth/tokens.ts';
import { connect, type OpenDatabase } from '../api/db/database.ts';
import { migrateToLatest } from '../api/db/migrate.ts';
import { newId } from '../api/ids.ts';
import { INSTANCE_ENV, isRunning } from '../api/process-instance.ts';
import { createEmptyDatabase } from './support/database.ts';
import { pulumiCliMissing, simDocuments } from './support/engine.ts';
import { FleetProcess, type FleetProcessOptions } from './support/fleet-process.ts';

const OPERATIONS = Number(process.env.KAAS_FLEET_TEST_OPERATIONS ?? 100);
const TERMINAL = ['succeeded', 'failed', 'cancelled', 'needs_approval'];
const SMALL = ['nodeCount=1', 'addons.calico.enabled=false', 'addons.prometheus.enabled=false'];

type Step = 'create' | 'update' | 'delete';
/** Per cluster: create, then update, then delete; 40 % creates, 35 % updates, 25 % deletes. */
function plan(total: number): Step[][] {
  const creates = Math.round(total * 0.4);
  const updates = Math.round(total * 0.35);
  const deletes = total - creates - updates;
  return Array.from({ length: creates }, (_, i) => (['create', ...(i < updates ? ['update'] : []), ...(i < deletes ? ['delete'] : [])] as Step[]));
}

const rand = (lo: number, hi: number) => lo + Math.floor(Math.random() * (hi - lo));

/** `<pid>-<start time>` of a platform process (KAAS_PLATFORM_INSTANCE): is that very process running? */
function instanceAlive(marker: string): boolean {
  const [pid, startTime] = marker.split('-');
  return pid !== undefined && startTime !== undefined && isRunning({ pid: Number(pid), startTime });
}

/** Every Pulumi lock file under a file:// state directory: stack directory → lock files. */
function stackLocks(stateDir: string): Map<string, string[]> {
  const root = path.join(stateDir, '.pulumi', 'locks');
  const out = new Map<string, string[]>();
  let files: string[];
  try {
    files = fs.readdirSync(root, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.json'));
  } catch {
    return out;
  }
  for (const f of files) out.set(path.dirname(f), [...(out.get(path.dirname(f)) ?? []), path.basename(f)]);
  return out;
}

/**
 * Samples /proc and the state's lock files every 150 ms. A violation is two Pulumi locks of one
 * stack held at once for three samples in a row: two engines holding one stack (Pulumi's file
 * backend looks for a lock, writes its own, looks again and backs off, so two may coexist for an
 * instant; pulumi/pulumi pkg/backend/diy/lock.go). Engine commands of two processes seen on one
 * stack at once are reported: the later one meets the first one's lock and is refused (a worker
 * whose heartbeat lapsed under CPU starvation, a SIGTERMed worker still cancelling, or an engine
 * orphaned by a SIGKILLed worker).
 */
class EngineSampler {
  readonly seen = new Set<string>();
  readonly violations = new Set<string>();
  /** Engine commands started while another engine process (of a live worker, or orphaned by a killed one) ran on the stack: refused by Pulumi's lock unless (b) fires. */
  readonly besideLive = new Set<string>();
  readonly besideOrphans = new Set<string>();
  #stop = false;
  readonly done: Promise<void>;
  constructor(stateDir: string) {
    let streak = new Map<string, number>();
    this.done = (async () => {
      while (!this.#stop) {
        const byStack = new Map<string, { pid: string; instance: string; command: string }[]>();
        for (const entry of fs.readdirSync('/proc')) {
          if (!/^\d+$/.test(entry)) continue;
          let argv: string[];
          let env: string[];
          try {
            argv = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
            if (!argv[0]?.endsWith('/pulumi')) continue;
            env = fs.readFileSync(`/proc/${entry}/environ`, 'utf8').split('\0');
          } catch {
            continue;
          }
          const command = argv.slice(1).find((a) => ['up', 'destroy', 'refresh', 'preview'].includes(a));
          const stackAt = argv.indexOf('--stack');
          if (!command || stackAt < 0 || !env.some((e) => e.startsWith('PULUMI_BACKEND_URL=') && e.includes(stateDir))) continue;
          const instance = env.find((e) => e.startsWith(`${INSTANCE_ENV}=`))?.slice(INSTANCE_ENV.length + 1) ?? '?';
          const stack = argv[stackAt + 1]!;
          this.seen.add(`${stack}:${entry}`);
          byStack.set(stack, [...(byStack.get(stack) ?? []), { pid: entry, instance, command }]);
        }
        for (const [stack, runs] of byStack) {
          const instances = new Set(runs.map((r) => r.instance));
          if (instances.size < 2) continue;
          const live = [...instances].filter(instanceAlive);
          const what = runs.map((r) => `${r.command} pid ${r.pid} of ${r.instance}${instanceAlive(r.instance) ? '' : ' (dead worker)'}`).join(' and ');
          (live.length >= 2 ? this.besideLive : this.besideOrphans).add(`${stack}: ${what}`);
        }
        const next = new Map<string, number>();
        for (const [stack, files] of stackLocks(stateDir)) {
          if (files.length < 2) continue;
          const key = `${stack}: locks ${files.sort().join(', ')}`;
          next.set(key, (streak.get(key) ?? 0) + 1);
          if (next.get(key)! >= 3) this.violations.add(key);
        }
        streak = next;
        await sleep(150);
      }
    })();
  }
  stop(): Promise<void> {
    this.#stop = true;
    return this.done;
  }
}

describe.skipIf(pulumiCliMissing)('a fleet of 2 API and 3 worker processes under SIGKILL and rolling restarts', () => {
  let open: OpenDatabase;
  let root = '';
  let stateDir = '';
  let simDir = '';
  let token = '';
  const slots: { opts: FleetProcessOptions; proc: FleetProcess | undefined }[] = [];
  const takeovers: number[] = [];
  let sampler: EngineSampler;

  const apis = () => slots.filter((s) => s.opts.role === 'api' && s.proc?.alive).map((s) => s.proc!);

  /** One tRPC mutation over HTTP on a random live API; network errors are retried on another. */
  async function call(procedure: string, input: unknown): Promise<{ ok: boolean; data?: any; error?: any; networkError?: boolean }> {
    const live = apis();
    const api = live[rand(0, live.length)];
    if (!api) return { ok: false, networkError: true };
    try {
      const res = await fetch(`${api.url}/trpc/${procedure}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(input), signal: AbortSignal.timeout(30_000) });
      const body = (await res.json()) as { result?: { data: unknown }; error?: unknown };
      return res.ok ? { ok: true, data: body.result?.data } : { ok: false, error: body.error };
    } catch {
      return { ok: false, networkError: true };
    }
  }

  const opsOf = (clusterId: string) => open.db.selectFrom('operations').selectAll().where('cluster_id', '=', clusterId).orderBy('created_at').execute();
  const clusterByName = (name: string) => open.db.selectFrom('clusters').selectAll().where('name', '=', name).executeTakeFirst();

  /** Requests `step` of cluster `name` once (a request lost with its API is looked up, not repeated) and waits until the operation ends. */
  async function perform(name: string, step: Step, set: string[]): Promise<string> {
    const before = await clusterByName(name);
    const known = before ? (await opsOf(before.id)).length : 0;
    for (let tries = 0; ; tries++) {
      if (tries > 200) throw new Error(`${step} of ${name}: no API took the request`);
      const input = step === 'create' ? { name, template: 'sim-dev', set: [...SMALL, ...set] } : step === 'update' ? { name, set } : { name, confirm: name };
      const r = await call(`clusters.${step}`, input);
      if (r.ok) return waitForEnd(r.data.operation.id);
      if (!r.networkError) throw new Error(`${step} of ${name} refused: ${JSON.stringify(r.error)}`);
      // the API may have committed the operation before it died: look before asking again
      const cluster = await clusterByName(name);
      const ops = cluster ? await opsOf(cluster.id) : [];
      if (ops.length > known) return waitForEnd(ops.at(-1)!.id);
      await sleep(300);
    }
  }

  async function waitForEnd(operationId: string): Promise<string> {
    for (;;) {
      const op = await open.db.selectFrom('operations').select(['status']).where('id', '=', operationId).executeTakeFirstOrThrow();
      if (TERMINAL.includes(op.status)) return operationId;
      await sleep(400);
    }
  }

  /** (Re)starts a slot's process on its home; a start that is not ready in time is killed and tried again. */
  async function restart(slot: (typeof slots)[number]): Promise<void> {
    for (let tries = 1; ; tries++) {
      try {
        slot.proc = await FleetProcess.start(slot.opts, 180_000);
        return;
      } catch (err) {
        if (tries >= 3) throw err;
      }
    }
  }

  beforeAll(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'kaas-fleet-'));
    stateDir = path.join(root, 'state');
    simDir = path.join(root, 'sim');
    fs.mkdirSync(stateDir);
    fs.mkdirSync(simDir);
    // a little cloud latency so kills land inside engine runs
    fs.writeFileSync(path.join(simDir, 'faults.json'), JSON.stringify({ latencyMs: { 'cluster.create': 1500, 'nodepool.update': 1000, 'cluster.delete': 1000 } }));
    const url = await createEmptyDatabase();
    open = connect(url);
    await migrateToLatest(open.db);
    const teamId = newId('t');
    await open.db.insertInto('teams').values({ id: teamId, name: 'fleet', max_clusters: 1000, max_total_nodes: 10_000, allowed_targets: null, allowed_templates: null }).execute();
    token = (await issueToken(open.db, { subject: 'fleet-lead', role: 'team-admin', teamId, createdBy: 'test', ttlDays: 1 })).token;
    const env = {
      KAAS_PULUMI_BACKEND: pathToFileURL(stateDir).href,
      KAAS_SIM_CLOUD_DIR: simDir,
      PULUMI_CONFIG_PASSPHRASE: 'fleet-test-passphrase',
      KAAS_WORKER_CONCURRENCY: '2',
      KAAS_DRIFT_INTERVAL_MINUTES: '0',
      KAAS_RETRY_BACKOFF_SECONDS: '0.5',
      KAAS_OPERATION_RETRIES: '4',
      KAAS_RATE_LIMIT_PER_SECOND: '0',
    };
    for (const role of ['api', 'api', 'worker', 'worker', 'worker'] as const) {
      const home = path.join(root, `home-${slots.length}`);
      fs.mkdirSync(home, { mode: 0o755 });
      slots.push({ opts: { role, databaseUrl: url, home, env }, proc: undefined });
    }
    // the first worker records the fleet fingerprint; then the rest start together
    await restart(slots[2]!);
    await Promise.all(slots.filter((s) => !s.proc).map(restart));
    sampler = new EngineSampler(stateDir);
  }, 300_000);

  afterAll(async () => {
    await sampler?.stop();
    for (const s of slots) await s.proc?.stop('SIGKILL', 5_000);
    await open?.close();
    if (root) fs.rmSync(root, { recursive: true, force: true });
  });

  it(`runs ${OPERATIONS} operations while processes are SIGKILLed and restarted: each ends exactly once`, { timeout: 1_500_000 }, async () => {
    const chains = plan(OPERATIONS);
    const started = Date.now();
    let done = false;
    const kills: string[] = [];
    const heldOperations = (log: string): string[] => {
      const held = new Set<string>();
      for (const line of log.split('\n')) {
        let parsed: { msg?: string; operationId?: string };
        try {
          parsed = JSON.parse(line) as typeof parsed;
        } catch {
          continue; // not a log line, or the last one cut by the kill
        }
        const { msg, operationId } = parsed;
        if (msg === 'operation job started') held.add(operationId!);
        if (msg === 'operation job ended') held.delete(operationId!);
      }
      return [...held];
    };
    const watchTakeover = async (running: { id: string; attempts: number }[], killedAt: number) => {
      const pending = new Map(running.map((r) => [r.id, r.attempts]));
      while (pending.size && Date.now() - killedAt < 180_000) {
        const rows = await open.db.selectFrom('operations').select(['id', 'attempts', 'status']).where('id', 'in', [...pending.keys()]).execute();
        for (const row of rows) {
          if (row.attempts > pending.get(row.id)!) (takeovers.push((Date.now() - killedAt) / 1000), pending.delete(row.id));
          else if (TERMINAL.includes(row.status)) pending.delete(row.id);
        }
        await sleep(250);
      }
    };
    const chaos = (async () => {
      await sleep(5_000);
      while (!done) {
        const slot = slots[rand(0, slots.length)]!;
        const victim = slot.proc!;
        const killedAt = Date.now();
        victim.child.kill('SIGKILL');
        await victim.exited;
        kills.push(`${slot.opts.role}@${Math.round((killedAt - started) / 1000)}s`);
        // the operations the killed worker held, from its log: when does each get its next attempt?
        if (slot.opts.role === 'worker') {
          const held = heldOperations(victim.out);
          if (held.length) {
            const rows = await open.db.selectFrom('operations').select(['id', 'attempts', 'status']).where('id', 'in', held).execute();
            void watchTakeover(rows.filter((r) => r.status === 'running'), killedAt);
          }
        }
        await sleep(rand(500, 3_000));
        await restart(slot);
        await sleep(rand(3_000, 8_000));
      }
    })();
    const requested = new Map<string, string[]>();
    await Promise.all(
      chains.map(async (steps, i) => {
        const name = `c${i}`;
        await sleep(i * 150); // requests spread over a few seconds, as users send them
        const ids: string[] = [];
        for (const step of steps) ids.push(await perform(name, step, step === 'update' ? ['nodePools.general.desiredSize=2'] : []));
        requested.set(name, ids);
      }),
    );
    done = true;
    await chaos;
    const elapsed = (Date.now() - started) / 1000;
    console.log(`fleet: ${OPERATIONS} operations in ${elapsed.toFixed(0)} s; kills: ${kills.join(', ')}; takeovers (s): ${takeovers.map((t) => t.toFixed(1)).join(', ') || 'none'}`);
    expect(kills.length, 'no process was killed').toBeGreaterThan(0);

    // every operation ended exactly once: one row per request, all succeeded, one completed job each
    const allIds = [...requested.values()].flat();
    expect(allIds).toHaveLength(OPERATIONS);
    expect(new Set(allIds).size).toBe(OPERATIONS);
    const ops = await open.db.selectFrom('operations').selectAll().execute();
    expect(ops.map((o) => o.id).sort()).toEqual([...allIds].sort()); // none lost, none extra
    expect(ops.filter((o) => o.status !== 'succeeded').map((o) => `${o.id} ${o.kind} ${o.status}: ${o.error}`)).toEqual([]);
    const jobs = await open.db.selectFrom('pgboss.job' as any).select(['data', 'state'] as any).where('name' as any, '=', 'kaas-operations').execute() as { data: { operationId: string }; state: string }[];
    expect(jobs.map((j) => j.data.operationId).sort()).toEqual([...allIds].sort());
    expect(jobs.filter((j) => j.state !== 'completed')).toEqual([]);

    // the sim cloud holds exactly the live clusters' resources, each once
    const clusters = await open.db.selectFrom('clusters').selectAll().execute();
    const docs = simDocuments(simDir).map((d) => d.doc);
    const clusterOf = (d: { tags: Record<string, string> }) => d.tags['kaas-cluster-id'];
    const ids = docs.map((d) => `${d.kind}/${clusterOf(d)}/${d.name}`);
    expect(ids.length, 'a resource exists twice').toBe(new Set(ids).size);
    for (const [i, steps] of chains.entries()) {
      const cluster = clusters.find((c) => c.name === `c${i}`)!;
      const mine = docs.filter((d) => clusterOf(d) === cluster.id);
      if (steps.includes('delete')) {
        expect(cluster.status, cluster.name).toBe('deleted');
        expect(mine, `${cluster.name} left resources behind`).toEqual([]);
      } else {
        expect(cluster.status, cluster.name).toBe('ready');
        expect(mine.filter((d) => d.kind === 'cluster')).toHaveLength(1);
        const general = mine.find((d) => d.kind === 'nodepool' && d.name === 'general');
        expect(general?.properties.desiredSize, cluster.name).toBe(steps.includes('update') ? 2 : 1);
      }
    }

    // no two platform processes ran an engine command on one stack at once
    console.log(`fleet: ${sampler.seen.size} engine runs sampled; started beside a live worker's engine: ${[...sampler.besideLive].join('; ') || 'none'}; beside an orphaned engine: ${[...sampler.besideOrphans].join('; ') || 'none'}`);
    expect(sampler.seen.size, 'the sampler saw no engine run').toBeGreaterThan(0);
    expect([...sampler.violations]).toEqual([]);
  });

  it('a rolling restart (SIGTERM one process at a time) during operations loses nothing', { timeout: 900_000 }, async () => {
    const live = (await open.db.selectFrom('clusters').select(['name']).where('status', '=', 'ready').orderBy('name').execute()).map((c) => c.name).slice(0, 6);
    expect(live.length).toBeGreaterThan(0);
    const slowest = await sql<{ s: string }>`select extract(epoch from max(finished_at - started_at)) as s from operations where attempts = 1 and status = 'succeeded'`.execute(open.db);
    const slowestMs = Number(slowest.rows[0]!.s) * 1000;
    const work = Promise.all(live.map((name) => perform(name, 'update', ['nodePools.general.desiredSize=3'])));
    await sleep(2_000);
    for (const slot of slots) {
      const ended = await slot.proc!.stop('SIGTERM', 90_000);
      expect(ended, `${slot.opts.role} did not stop gracefully:\n${slot.proc!.err.slice(-2000)}`).toEqual({ code: 0, signal: null });
      await restart(slot);
    }
    const rolledAt = Date.now();
    const ids = await work;
    const ops = await open.db.selectFrom('operations').selectAll().where('id', 'in', ids).execute();
    expect(ops.filter((o) => o.status !== 'succeeded').map((o) => `${o.id} ${o.status}: ${o.error}`)).toEqual([]);
    const jobs = await open.db.selectFrom('pgboss.job' as any).select(['data', 'state'] as any).where('name' as any, '=', 'kaas-operations').execute() as { data: { operationId: string }; state: string }[];
    expect(jobs.filter((j) => ids.includes(j.data.operationId)).map((j) => j.state)).toEqual(ids.map(() => 'completed'));
    // finished within the slowest (uninterrupted) operation of the first run after the last restart
    const lastEnd = Math.max(...ops.map((o) => o.finished_at!.getTime()));
    console.log(`rolling restart: ${ids.length} updates; last ended ${((lastEnd - rolledAt) / 1000).toFixed(1)} s after the last restart; slowest operation ${(slowestMs / 1000).toFixed(1)} s`);
    expect(lastEnd - rolledAt).toBeLessThanOrEqual(slowestMs);
    expect([...sampler.violations]).toEqual([]);
  });
});
