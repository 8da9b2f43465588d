/**
 * A campaign planned or started with a `maxParallel` above the live workers' slots says so: its
 * waves run at most that many at a time, the rest wait in the queue. The slots are the ones the
 * workers registered in pg-boss's instance registry (api/queue/operation-queue.ts `capacity`).
 * Real PostgreSQL and pg-boss; the registered worker's handler runs nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../api/auth/tokens.ts';
import { insertSimCluster, waitUntil } from './support/fleet.ts';
import { testPlatform, type TestPlatform } from './support/services.ts';

describe('campaign capacity', () => {
  let p: TestPlatform;
  let admin: Actor;
  const campaign = { targetVersion: '1.33', waves: { canary: 1, percentages: [100] } };

  beforeAll(async () => {
    p = await testPlatform();
    await p.team('ops', { maxClusters: 100 });
    admin = await p.actor('root', 'platform-admin', null);
    for (let i = 0; i < 10; i++) await insertSimCluster(p.services.db, { team: 'ops', name: `r${i}`, version: '1.32' });
  });
  afterAll(() => p?.close());

  it('says when no worker is registered', async () => {
    const plan = await p.caller(admin).fleet.plan({ ...campaign, maxParallel: 2 });
    expect(plan.capacity).toMatchObject({ maxParallel: 2, workerSlots: 0, workers: 0 });
    expect(plan.capacity.note).toMatch(/no live worker/);
  });

  it('plans and starts against the live workers\' registered slots', async () => {
    await p.services.queue.work({ concurrency: 4, teamMaxRunning: 100 }, async () => {});
    // the registry row is refreshed on pg-boss's instance heartbeat
    await waitUntil(() => p.services.queue.capacity(), (c) => c.slots === 4, 'the worker in the registry', 90_000);
    const within = await p.caller(admin).fleet.plan({ ...campaign, maxParallel: 4 });
    expect(within.capacity).toEqual({ maxParallel: 4, workerSlots: 4, workers: 1, teamMaxRunning: p.config.teamMaxRunning, effectiveParallel: 4, note: null });
    const over = await p.caller(admin).fleet.plan({ ...campaign, maxParallel: 8 });
    expect(over.capacity.effectiveParallel).toBe(4);
    expect(over.capacity.note).toBe('maxParallel 8 > worker capacity 4 (1 live worker): waves will run 4 at a time; one team runs at most 4 at a time (KAAS_TEAM_MAX_RUNNING)');
    const started = await p.caller(admin).fleet.start({ ...campaign, name: 'wide', maxParallel: 8 });
    expect(started.plan.capacity.note).toBe(over.capacity.note);
  });

  it("names the per-team cap when every planned cluster is one team's", async () => {
    const plan = await p.caller(admin).fleet.plan({ ...campaign, maxParallel: 4, selector: { team: 'ops' } });
    expect(p.config.teamMaxRunning).toBe(4);
    expect(plan.capacity.note).toBeNull();
    const wide = await p.caller(admin).fleet.plan({ ...campaign, maxParallel: 6 });
    expect(wide.capacity.note).toMatch(/^maxParallel 6 > worker capacity 4 .*; one team runs at most 4 at a time \(KAAS_TEAM_MAX_RUNNING\)$/);
  });
});
