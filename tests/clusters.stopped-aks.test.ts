/**
 * A hibernated AKS cluster is stopped (platform/cloud-hibernation.ts), and "you can only perform
 * start or delete operations on a stopped AKS cluster … to perform other operations, like scaling
 * or upgrading, start your cluster first" (https://learn.microsoft.com/azure/aks/start-stop-cluster):
 * the API refuses every other operation on it with a message naming the wake command, the drift
 * schedule does not pick it, and its wake and delete start. A hibernated EKS/GKE/sim cluster is
 * only scaled down: its drift is still checked. Real PostgreSQL, no worker.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../api/auth/tokens.ts';
import { startOperation } from '../api/clusters/start-operation.ts';
import { newId, stackNameFor } from '../api/ids.ts';
import { runDriftPass } from '../api/worker/drift-schedule.ts';
import { startCampaignCluster } from '../api/fleet/start-campaign-cluster.ts';
import { testPlatform, type TestPlatform } from './support/services.ts';

const HOUR = 3600_000;

describe('a stopped (hibernated) AKS cluster', () => {
  let p: TestPlatform;
  let alice: Actor;
  const ids: Record<string, string> = {};
  const now = new Date(Date.now() + 24 * HOUR);
  const row = (name: string) => p.services.db.selectFrom('clusters').selectAll().where('id', '=', ids[name]!).executeTakeFirstOrThrow();

  async function addCluster(name: string, targetId: string, teamId: string) {
    const id = newId('c');
    ids[name] = id;
    await p.services.db
      .insertInto('clusters')
      .values({ id, team_id: teamId, name, target_id: targetId, spec: JSON.stringify({ name }), kubernetes_version: '1.33', node_count: 3, status: 'ready', stack_name: stackNameFor(id), created_at: new Date(now.getTime() - 48 * HOUR), hibernated_sizes: JSON.stringify({ system: { minSize: 2, desiredSize: 3 } }) })
      .execute();
  }

  beforeAll(async () => {
    p = await testPlatform();
    const team = await p.team('payments');
    alice = await p.actor('alice', 'member', team);
    const azure = newId('t');
    await p.services.db.insertInto('targets').values({ id: azure, name: 'azure-dev', cloud: 'azure', region: 'westeurope', account: '00000000-0000-0000-0000-000000000001', allowed_teams: null }).execute();
    const sim = await p.services.db.selectFrom('targets').select('id').where('name', '=', 'sim-local').executeTakeFirstOrThrow();
    await addCluster('aks-asleep', azure, team);
    await addCluster('sim-asleep', sim.id, team);
  });
  afterAll(() => p?.close());

  it('the drift schedule leaves it alone but still checks a hibernated sim cluster (only scaled down)', async () => {
    const pass = await runDriftPass(p.services, now, { tickMs: 360 * 60_000, capacity: 10 });
    expect(pass.started.map((s) => s.cluster)).toEqual([ids['sim-asleep']]);
    expect(pass.skipped).toEqual([]);
    await p.services.db.updateTable('operations').set({ status: 'succeeded' }).execute();
  });

  it('refuses a drift check, naming why and the wake command', async () => {
    await expect(p.caller(alice).clusters.drift({ name: 'aks-asleep' })).rejects.toMatchObject({
      code: 'PRECONDITION_FAILED',
      message: expect.stringMatching(/cluster "aks-asleep" is hibernated: its AKS cluster is stopped .*can only be started or deleted; its drift cannot be checked until it is woken/),
    });
  });

  it('refuses an upgrade, a rollback and a reconcile the same way', async () => {
    for (const kind of ['upgrade', 'rollback', 'reconcile'] as const) {
      await expect(startOperation(p.services, await row('aks-asleep'), kind, alice, 'r', {})).rejects.toMatchObject({ code: 'PRECONDITION_FAILED', message: expect.stringContaining(`a ${kind} cannot run until it is woken`) });
    }
  });

  it('its wake starts', async () => {
    const op = await startOperation(p.services, await row('aks-asleep'), 'update', alice, 'r', { wake: true });
    expect(op.kind).toBe('update');
  });
});

describe('a stopped AKS cluster in a fleet campaign', () => {
  let p: TestPlatform;
  beforeAll(async () => {
    p = await testPlatform();
  });
  afterAll(() => p?.close());

  it('is blocked with the reason (not failed: it does not count against the failure threshold), the campaign goes on', async () => {
    const team = await p.team('payments');
    const azure = newId('t');
    await p.services.db.insertInto('targets').values({ id: azure, name: 'azure-dev', cloud: 'azure', region: 'westeurope', account: '00000000-0000-0000-0000-000000000001', allowed_teams: null }).execute();
    const id = newId('c');
    await p.services.db
      .insertInto('clusters')
      .values({ id, team_id: team, name: 'aks-asleep', target_id: azure, spec: JSON.stringify({ name: 'aks-asleep' }), kubernetes_version: '1.33', node_count: 3, status: 'ready', stack_name: stackNameFor(id), hibernated_sizes: JSON.stringify({ system: { minSize: 2, desiredSize: 3 } }) })
      .execute();
    const row = await p.services.db.selectFrom('clusters').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    const outcome = await startCampaignCluster(p.services, { id: 'f1', kind: 'upgrade', created_by: 'root' } as any, row, new Date());
    expect(outcome).toEqual({ status: 'blocked', reason: expect.stringMatching(/is hibernated: its AKS cluster is stopped .*wake it first: `kaas clusters wake aks-asleep --wait`/) });
  });
});
