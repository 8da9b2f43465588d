/**
 * Cost estimates and team budgets through the tRPC callers on real PostgreSQL: create, update
 * and plan return the estimate with the prices' source and date; a create or scale-up over the
 * team's monthly budget is refused naming budget, total, request and fix; a scale-down passes
 * even over budget; an unpriced machine type is reported (and refused while a budget is set).
 *
 * Prices are pricing/sim/local.yaml's: sim.small $0.05/h, sim.medium $0.10/h, control plane
 * $0.10/h, 730 h/month. So sim-dev with N general nodes costs (N × 0.05 + 0.10) × 730.
 */
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../api/auth/tokens.ts';
import type { DomainError } from '../platform/errors.ts';
import { expectTrpcError } from './support/errors.ts';
import { testPlatform, type TestPlatform } from './support/services.ts';

const simDev = (n: number) => Math.round((n * 0.05 + 0.1) * 730 * 100) / 100; // 1 → 109.50, 2 → 146.00, 3 → 182.50

describe('cost estimates and budgets', () => {
  let p: TestPlatform;
  let alice: Actor;
  let admin: Actor;

  /** Marks the cluster's operations done and the cluster ready, as the worker would (no worker here). */
  async function settle(name: string, teamId: string): Promise<void> {
    const row = await p.services.db.selectFrom('clusters').select('id').where('name', '=', name).where('team_id', '=', teamId).executeTakeFirstOrThrow();
    await p.services.db.updateTable('operations').set({ status: 'succeeded', finished_at: new Date() }).where('cluster_id', '=', row.id).where('status', 'in', ['queued', 'running']).execute();
    await p.services.db.updateTable('clusters').set({ status: 'ready' }).where('id', '=', row.id).execute();
  }

  let teamId: string;
  let bob: Actor;
  beforeAll(async () => {
    p = await testPlatform();
    teamId = await p.team('payments');
    alice = await p.actor('alice', 'member', teamId);
    bob = await p.actor('bob', 'member', await p.team('research'));
    admin = await p.actor('root', 'platform-admin', null);
  });
  afterAll(() => p.close());

  it('create returns the estimate with line items and the source and date of the prices', async () => {
    const { cost } = await p.caller(alice).clusters.create({ name: 'web', template: 'sim-dev', set: ['nodeCount=2'] });
    expect(cost.monthly).toBe(simDev(2));
    expect(cost.complete).toBe(true);
    expect(cost.prices).toMatchObject({ cloud: 'sim', region: 'local', date: '2026-12-02' });
    expect(cost.summary).toBe('estimated cost: $146.00/month (sim local prices of 2026-12-02 from simulated (pricing/sim/local.yaml; no real cloud bills for sim))');
    expect(cost.lines.map((l) => [l.kind, l.monthly])).toEqual([['nodes', 73], ['control-plane', 73]]);
  });

  it('plan shows the estimate before → after the change, with source and date', async () => {
    await settle('web', teamId);
    const { cost } = await p.caller(alice).clusters.plan({ name: 'web', set: ['nodePools.general.desiredSize=3'] });
    expect(cost.before.monthly).toBe(simDev(2));
    expect(cost.after.monthly).toBe(simDev(3));
    expect(cost.delta).toBe(36.5);
    expect(cost.summary).toMatch(/^estimated cost: \$146\.00\/month → \$182\.50\/month \(\+\$36\.50\) \(sim local prices of 2026-12-02 from /);
    await settle('web', teamId);
  });

  it('plan says when the update would be refused by the budget, by the same check', async () => {
    await p.caller(admin).teams.setQuota({ name: 'payments', quota: { monthlyBudget: 160 } });
    const over = await p.caller(alice).clusters.plan({ name: 'web', set: ['nodePools.general.desiredSize=3'] });
    expect(over.quota).toMatchObject({ allowed: false, message: expect.stringMatching(/monthly budget exceeded: the team's budget is \$160\.00\/month/), hint: expect.stringMatching(/kaas teams set-quota payments/) });
    await settle('web', teamId);
    const down = await p.caller(alice).clusters.plan({ name: 'web', set: ['nodePools.general.desiredSize=1'] });
    expect(down.quota).toEqual({ allowed: true });
    await settle('web', teamId);
    await p.caller(admin).teams.setQuota({ name: 'payments', quota: { monthlyBudget: null } });
  });

  it('teams get shows the estimated total against the budget', async () => {
    await p.caller(admin).teams.setQuota({ name: 'payments', quota: { monthlyBudget: 200 } });
    const team = await p.caller(alice).teams.get({ name: 'payments' });
    expect(team.quota.monthlyBudget).toBe(200);
    expect(team.usage).toMatchObject({ monthlyCost: simDev(2), unpricedClusters: 0 });
  });

  it('refuses a create that would take the team over its monthly budget, naming budget, total, request and fix', async () => {
    const err = await expectTrpcError(
      p.caller(alice).clusters.create({ name: 'api', template: 'sim-dev', set: ['nodeCount=1'] }),
      'FORBIDDEN',
      /monthly budget exceeded: the team's budget is \$200\.00\/month, its clusters are estimated at \$146\.00\/month, this cluster \$109\.50\/month would bring it to \$255\.50\/month/,
    );
    expect((err.cause as DomainError).hint).toMatch(/kaas teams set-quota payments --monthly-budget AMOUNT.*or choose smaller or fewer nodes/);
    expect(await p.services.db.selectFrom('clusters').select('id').where('name', '=', 'api').execute()).toEqual([]);
  });

  it('refuses a scale-up over the budget, naming what the change adds', async () => {
    await expectTrpcError(
      p.caller(alice).clusters.update({ name: 'web', set: ['nodePools.general.desiredSize=5'] }),
      'FORBIDDEN',
      /its clusters are estimated at \$146\.00\/month, this change \$109\.50\/month \(the cluster from \$146\.00 to \$255\.50\/month\) would bring it to \$255\.50\/month/,
    );
    const ops = await p.services.db.selectFrom('operations').select('kind').where('kind', '=', 'update').execute();
    expect(ops).toEqual([]);
  });

  it('lets a scale-up within the budget through, and returns before → after', async () => {
    const { cost } = await p.caller(alice).clusters.update({ name: 'web', set: ['nodePools.general.desiredSize=3'] });
    expect([cost.before.monthly, cost.after.monthly]).toEqual([simDev(2), simDev(3)]);
  });

  it('counts an update in flight at its new size, so a second cluster cannot spend the same headroom', async () => {
    // web's update (to 3 nodes, $182.50) is still queued: the row still says 2 nodes ($146.00)
    await expectTrpcError(p.caller(alice).clusters.create({ name: 'tiny', template: 'sim-dev', set: ['nodeCount=1'] }), 'FORBIDDEN', /estimated at \$182\.50\/month, this cluster \$109\.50\/month/);
  });

  it('always allows a scale-down, even while the team is over its budget', async () => {
    // the worker finishes web's update: 3 nodes; then the budget is lowered below the total
    const row = await p.services.db.selectFrom('clusters').selectAll().where('name', '=', 'web').executeTakeFirstOrThrow();
    const op = await p.services.db.selectFrom('operations').select('input').where('cluster_id', '=', row.id).where('kind', '=', 'update').executeTakeFirstOrThrow();
    await p.services.db.updateTable('clusters').set({ spec: JSON.stringify((op.input as { spec: unknown }).spec), node_count: 3 }).where('id', '=', row.id).execute();
    await settle('web', teamId);
    await p.caller(admin).teams.setQuota({ name: 'payments', quota: { monthlyBudget: 100 } });
    const { cost } = await p.caller(alice).clusters.update({ name: 'web', set: ['nodePools.general.desiredSize=2'] });
    expect(cost.after.monthly).toBeLessThan(cost.before.monthly);
    expect(cost.after.monthly).toBeGreaterThan(100);
  });

  it('reports an unpriced machine type in the estimate, and refuses it while the team has a budget', async () => {
    const yaml = fs.readFileSync(new URL('../templates/sim-dev.yaml', import.meta.url), 'utf8').replace(/^name: sim-dev$/m, 'name: sim-odd').replace('allowed: [sim.small, sim.medium]', 'allowed: [sim.small, sim.medium, sim.quantum]');
    await p.caller(admin).templates.publish({ yaml });
    const { cost } = await p.caller(bob).clusters.create({ name: 'odd', template: 'sim-odd', set: ['machineType=sim.quantum', 'nodeCount=2'] });
    expect(cost.complete).toBe(false);
    expect(cost.unpriced).toEqual(['machine type sim.quantum in sim local']);
    expect(cost.lines[0]).toMatchObject({ item: 'nodePools.general: 2 × sim.quantum', monthly: null });
    expect(cost.monthly).toBe(73); // the control plane only: the total says "or more"
    expect(cost.summary).toMatch(/^estimated cost: \$73\.00\/month or more .*NOT PRICED: machine type sim\.quantum in sim local/);
    expect((await p.caller(bob).teams.get({ name: 'research' })).usage.unpricedClusters).toBe(1);

    await p.caller(admin).teams.setQuota({ name: 'research', quota: { monthlyBudget: 10_000 } });
    await expectTrpcError(p.caller(bob).clusters.create({ name: 'odd2', template: 'sim-odd', set: ['machineType=sim.quantum'] }), 'FORBIDDEN', /monthly budget of \$10,000\.00 but this request cannot be priced \(machine type sim\.quantum in sim local\)/);
  });

  it('setQuota clears a budget with null and refuses a negative one', async () => {
    await expectTrpcError(p.caller(admin).teams.setQuota({ name: 'research', quota: { monthlyBudget: -5 } }), 'BAD_REQUEST', /monthlyBudget/);
    const team = await p.caller(admin).teams.setQuota({ name: 'research', quota: { monthlyBudget: null } });
    expect(team.quota.monthlyBudget).toBeNull();
    await p.caller(bob).clusters.create({ name: 'odd2', template: 'sim-odd', set: ['machineType=sim.quantum'] });
  });
});
