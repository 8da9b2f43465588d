/** clusters.create through createCaller against real PostgreSQL. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../api/auth/tokens.ts';
import { testPlatform, type TestPlatform } from './support/services.ts';

describe('clusters.create', () => {
  let p: TestPlatform;
  let alice: Actor;
  let admin: Actor;
  beforeAll(async () => {
    p = await testPlatform();
    const team = await p.team('payments', { maxClusters: 2, maxTotalNodes: 6 });
    alice = await p.actor('alice', 'member', team);
    admin = await p.actor('root', 'platform-admin', null);
  });
  afterAll(() => p.close());

  it('creates a cluster from a template with a queued create operation and an audit row', async () => {
    const { cluster, operation } = await p.caller(alice).clusters.create({ name: 'web', template: 'sim-dev', set: ['nodeCount=3'] });
    expect(cluster).toMatchObject({ name: 'web', team: 'payments', target: 'sim-local', cloud: 'sim', simulated: true, status: 'requested', template: 'sim-dev@1', nodeCount: 3 });
    expect(operation).toMatchObject({ kind: 'create', status: 'queued', actor: 'alice' });
    const audit = await p.services.db.selectFrom('audit').selectAll().where('action', '=', 'clusters.create').execute();
    expect(audit).toEqual([expect.objectContaining({ actor: 'alice', target: 'web', result: 'ok' })]);
  });

  it('refuses a second cluster of the same name in the team, and audits the failure', async () => {
    await expect(p.caller(alice).clusters.create({ name: 'web', template: 'sim-dev' })).rejects.toThrow(/already exists in team "payments"/);
    const audit = await p.services.db.selectFrom('audit').selectAll().where('action', '=', 'clusters.create').where('result', '=', 'failed').execute();
    expect(audit.length).toBe(1);
  });

  it('requires a platform admin to name the team', async () => {
    await expect(p.caller(admin).clusters.create({ name: 'x', template: 'sim-dev' })).rejects.toThrow(/must name the team/);
    const { cluster } = await p.caller(admin).clusters.create({ team: 'payments', name: 'ops', template: 'sim-dev', set: ['nodeCount=1'] });
    expect(cluster.team).toBe('payments');
  });

  it('never lets concurrent creates push a team past its cluster quota', async () => {
    const team = await p.team('racers', { maxClusters: 3, maxTotalNodes: 100 });
    const bob = await p.actor('bob', 'member', team);
    const results = await Promise.allSettled(Array.from({ length: 8 }, (_, i) => p.caller(bob).clusters.create({ name: `r${i}`, template: 'sim-dev', set: ['nodeCount=1'] })));
    expect(results.filter((r) => r.status === 'fulfilled').length).toBe(3);
    const live = await p.services.db.selectFrom('clusters').select('id').where('team_id', '=', team).execute();
    expect(live.length).toBe(3);
    expect(results.find((r) => r.status === 'rejected')).toMatchObject({ reason: expect.objectContaining({ message: expect.stringMatching(/cluster quota reached: 3 of 3/) }) });
  });
});
