/**
 * Fair, bounded work in the operation queue, against real PostgreSQL and pg-boss: one team's burst
 * does not starve another team's single operation, a team never runs more than its cap at once, and
 * user operations always go ahead of scheduled drift checks. The handlers here record the order in
 * which pg-boss hands jobs out; they run no engine. Assertions are on order and counts, never time.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../api/auth/tokens.ts';
import { startOperation } from '../api/clusters/start-operation.ts';
import { loadConfig } from '../api/config.ts';
import type { ClusterRow } from '../api/db/schema.ts';
import { newId, stackNameFor } from '../api/ids.ts';
import { runDriftPass } from '../api/worker/drift-schedule.ts';
import { testPlatform, type TestPlatform } from './support/services.ts';

const HOUR = 3600_000;

async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`still waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('operation queue fairness', () => {
  let p: TestPlatform;
  let target: string;
  const team: Record<string, string> = {};
  const teamOfOperation = new Map<string, string>();
  const later = new Date(Date.now() + 24 * HOUR);

  async function readyCluster(teamName: string): Promise<ClusterRow> {
    const id = newId('c');
    return p.services.db
      .insertInto('clusters')
      .values({ id, team_id: team[teamName]!, name: `${teamName}-${id.slice(-8)}`, target_id: target, spec: JSON.stringify({}), kubernetes_version: '1.33', node_count: 1, status: 'ready', stack_name: stackNameFor(id), created_at: new Date(Date.now() - 48 * HOUR) })
      .returningAll()
      .executeTakeFirstOrThrow();
  }
  /** A user's refresh of a new ready cluster of `teamName`, through the production path. */
  async function userOperation(teamName: string): Promise<string> {
    const actor: Actor = { tokenId: 't', subject: `${teamName}-user`, role: 'member', teamId: team[teamName]! };
    const op = await startOperation(p.services, await readyCluster(teamName), 'refresh', actor, 'r', {});
    teamOfOperation.set(op.id, teamName);
    return op.id;
  }
  /** Runs the queue's worker with a handler that records each job's start; `hold` keeps jobs running. */
  function recordingWorker(limits: { concurrency: number; teamMaxRunning: number }, hold = false) {
    const started: string[] = [];
    const release: (() => void)[] = [];
    const done = p.services.queue.work(limits, async (job) => {
      started.push(job.data.operationId);
      if (hold) await new Promise<void>((resolve) => release.push(resolve));
    });
    return { started, done, releaseAll: () => release.splice(0).forEach((r) => r()) };
  }

  beforeAll(async () => {
    p = await testPlatform();
    for (const name of ['a', 'b', 'c']) team[name] = await p.team(name);
    target = (await p.services.db.selectFrom('targets').select('id').where('name', '=', 'sim-local').executeTakeFirstOrThrow()).id;
  });
  afterEach(async () => {
    await p.services.queue.stopWorking();
    // every job of a test is settled before the next one queues its own
    await p.services.db.updateTable('operations').set({ status: 'succeeded' }).where('status', 'in', ['queued', 'running']).execute();
  });
  afterAll(() => p?.close());

  it("one team's burst does not starve another team's single operation", async () => {
    const burst: string[] = [];
    for (let i = 0; i < 12; i++) burst.push(await userOperation('a'));
    const single = await userOperation('b');
    const w = recordingWorker({ concurrency: 2, teamMaxRunning: 8 });
    await until('every job started', () => w.started.length === 13);
    // B's one operation is among the first two jobs handed out (FIFO would make it the 13th)
    expect(w.started.indexOf(single)).toBeLessThan(2);
    expect([...w.started].sort()).toEqual([...burst, single].sort());
  });

  it('bursts of two teams interleave instead of running one after the other', async () => {
    for (let i = 0; i < 5; i++) await userOperation('a');
    for (let i = 0; i < 5; i++) await userOperation('b');
    const w = recordingWorker({ concurrency: 1, teamMaxRunning: 8 });
    await until('every job started', () => w.started.length === 10);
    const firstHalf = w.started.slice(0, 6).map((id) => teamOfOperation.get(id));
    expect(firstHalf.filter((t) => t === 'b').length).toBeGreaterThanOrEqual(3);
    expect(firstHalf.filter((t) => t === 'a').length).toBeGreaterThanOrEqual(3);
  });

  it('a team never runs more than its cap at once, and the free slots go to other work', async () => {
    const w = recordingWorker({ concurrency: 4, teamMaxRunning: 2 }, true);
    // one job at a time, so no two fetches race for the team's last slot (pg-boss counts a team's
    // active jobs when it fetches; fetches at the same instant can each take one: see README)
    for (let i = 1; i <= 2; i++) {
      await userOperation('a');
      await until(`team a's job ${i} started`, () => w.started.length === i);
    }
    const waiting = [await userOperation('a'), await userOperation('a')];
    // a drift check has the lowest priority: when it starts, the worker, with two free slots, refused
    // team a's waiting jobs, which come before it
    await readyCluster('c');
    const pass = await runDriftPass(p.services, later);
    expect(pass.started.length).toBeGreaterThan(0);
    const drift = new Set(pass.started.map((s) => s.operationId));
    await until('the drift check started', () => w.started.some((id) => drift.has(id)));
    expect(w.started.filter((id) => teamOfOperation.get(id) === 'a')).toHaveLength(2);
    expect(w.started.filter((id) => waiting.includes(id))).toEqual([]);
    // once team a's jobs end, its waiting ones run
    w.releaseAll();
    await until("team a's waiting jobs started", () => waiting.every((id) => w.started.includes(id)));
    w.releaseAll();
  });

  it('user operations go ahead of drift checks queued before them', async () => {
    for (let i = 0; i < 3; i++) await readyCluster('c');
    const pass = await runDriftPass(p.services, new Date(later.getTime() + 12 * HOUR));
    expect(pass.started.length).toBeGreaterThan(0);
    const user = [await userOperation('b'), await userOperation('a'), await userOperation('b')];
    const w = recordingWorker({ concurrency: 1, teamMaxRunning: 8 });
    await until('every job started', () => w.started.length === pass.started.length + user.length);
    expect(w.started.slice(0, user.length).sort()).toEqual([...user].sort());
  });

  it('reads the per-team cap from KAAS_TEAM_MAX_RUNNING (default 4) and refuses a bad value', () => {
    expect(loadConfig({}).teamMaxRunning).toBe(4);
    expect(loadConfig({ KAAS_TEAM_MAX_RUNNING: '2' }).teamMaxRunning).toBe(2);
    expect(() => loadConfig({ KAAS_TEAM_MAX_RUNNING: '0' })).toThrow(/KAAS_TEAM_MAX_RUNNING/);
  });
});
