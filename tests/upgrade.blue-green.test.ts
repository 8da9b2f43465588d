/**
 * Blue-green node-pool upgrades and rollback, end to end on the sim cloud (API → worker → real
 * Pulumi engine): the upgrade creates a new pool generation, drains the old one and keeps it at
 * zero nodes; `clusters.rollback` within the window returns to it; after the window (an injected
 * clock) it is refused naming when the window closed, and the next apply removes the old
 * generation; a drain blocked by a PDB stops the upgrade naming it, and rollback still works; a
 * sim capacity too small for the whole new generation blocks the roll (preflight surge-capacity).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../api/auth/tokens.ts';
import type { ClusterSpec } from '../platform/cluster-spec.ts';
import { startWorker, type Worker } from '../api/worker/worker.ts';
import { pulumiCliMissing, simDocuments } from './support/engine.ts';
import { expectTrpcError } from './support/errors.ts';
import { gatedSimTemplate } from './support/gated-template.ts';
import { testPlatform, type TestPlatform } from './support/services.ts';
import { waitForOperation } from './support/wait.ts';

/** sim-dev with its general pool upgraded blue-green and a 2-hour rollback window. */
function blueGreenTemplate(): string {
  return gatedSimTemplate('sim-bluegreen', 4, '\n    rollbackWindowHours: 2').replace(/^    - name: general$/m, '    - name: general\n      upgradeStrategy: blue-green');
}

describe.skipIf(pulumiCliMissing)('blue-green node pools on the sim cloud', () => {
  let p: TestPlatform;
  let worker: Worker;
  let alice: Actor;
  const ids = new Map<string, string>();
  const faults = (doc: unknown) => fs.writeFileSync(path.join(p.config.simCloudDir, 'faults.json'), JSON.stringify(doc));
  /** The cluster's sim node pool documents: name → version, size and cordon. */
  const pools = (name: string) =>
    Object.fromEntries(
      simDocuments(p.config.simCloudDir)
        .map((d) => d.doc)
        .filter((d) => d.tags['kaas-cluster-id'] === ids.get(name) && d.kind === 'nodepool')
        .map((d) => [d.name, `${d.properties.kubernetesVersion} x${d.properties.desiredSize}${d.cordoned ? ' cordoned' : ''}`]),
    );
  const controlPlane = (name: string) => simDocuments(p.config.simCloudDir).map((d) => d.doc).find((d) => d.tags['kaas-cluster-id'] === ids.get(name) && d.kind === 'cluster')?.properties.kubernetesVersion;
  const specOf = async (name: string) => (await p.services.db.selectFrom('clusters').select('spec').where('name', '=', name).executeTakeFirstOrThrow()).spec as ClusterSpec;
  const messages = async (name: string, operationId: string) =>
    (await p.caller(alice).clusters.events({ name, operationId, limit: 1000 })).events.flatMap((e) => (e.event.kind === 'message' ? [e.event.message] : []));
  const succeeded = async (op: { id: string } | null | undefined) => {
    const done = await waitForOperation(p.services.db, op!.id);
    expect(done.error ?? '').toBe('');
    expect(done.status).toBe('succeeded');
    return done;
  };

  beforeAll(async () => {
    p = await testPlatform();
    worker = await startWorker(p.services, p.services.queue, 2, { retries: 0, backoffMs: 100 });
    const admin = await p.actor('root', 'platform-admin', null);
    await p.caller(admin).templates.publish({ yaml: blueGreenTemplate() });
    alice = await p.actor('alice', 'member', await p.team('payments'));
    const created = await Promise.all(
      ['bg', 'pdb'].map((name) => p.caller(alice).clusters.create({ name, template: 'sim-bluegreen', set: ['kubernetesVersion=1.33', 'nodeCount=1', 'addons.calico.enabled=false', 'addons.prometheus.enabled=false'] })),
    );
    for (const { cluster: c, operation } of created) {
      ids.set(c.name, c.id);
      await succeeded(operation);
    }
  }, 300_000);
  afterAll(async () => {
    await worker?.stop();
    await p?.close();
  });

  it('upgrades the pool blue-green, rolls back within the window, and refuses after it', async () => {
    const { checks } = await p.caller(alice).clusters.upgrade({ name: 'bg', to: '1.34', planOnly: true });
    expect(checks.notes).toEqual([
      expect.stringMatching(/^control planes cannot be downgraded on managed clouds/),
      'node pool general is upgraded blue-green: a new pool generation at the new version, gated, then the old one cordoned, drained (PDBs respected) and kept at zero nodes (sim pool documents at 0 nodes) for 2 h; kaas clusters rollback bg returns to it within that window (node pools only)',
    ]);
    const { operation } = await p.caller(alice).clusters.upgrade({ name: 'bg', to: '1.34' });
    const upgraded = await succeeded(operation);
    expect(pools('bg')).toEqual({ 'general-g2': '1.34 x1', general: '1.33 x0 cordoned', batch: '1.34 x0' });
    expect(controlPlane('bg')).toBe('1.34');
    const log = await messages('bg', upgraded.id);
    expect(log.filter((m) => m.startsWith('step 2/3:'))).toEqual([
      'step 2/3: node pool general 1.33 → 1.34',
      'step 2/3: create node pool general-g2 at 1.34 (blue-green; general keeps serving)',
      'step 2/3: cordon and drain node pool general',
      'step 2/3: drained node pool general (1 pod(s) evicted)',
      expect.stringMatching(/^step 2\/3: scale node pool general to zero, kept for rollback until 20\d\d-/),
    ]);
    const kept = (await specOf('bg')).nodePools[0]!;
    expect(kept).toMatchObject({ name: 'general', generation: 2, standby: { generation: 1, kubernetesVersion: '1.33', phase: 'scaled-down' } });
    expect(Date.parse(kept.standby!.keepUntil!) - Date.parse(String(upgraded.finished_at ?? new Date()))).toBeLessThanOrEqual(2 * 3_600_000);

    const plan = await p.caller(alice).clusters.rollback({ name: 'bg', planOnly: true });
    expect(plan.plan.pools).toEqual([{ name: 'general', from: '1.34', to: '1.33', phases: ['restore', 'swap', 'remove-standby'] }]);
    expect(plan.notes.join(' ')).toMatch(/rollback restores node pools only: the control plane stays at its version/);
    expect(plan.operation).toBeNull();

    const { operation: rollback } = await p.caller(alice).clusters.rollback({ name: 'bg' });
    await succeeded(rollback);
    expect(pools('bg')).toEqual({ general: '1.33 x1', batch: '1.34 x0' });
    expect(controlPlane('bg')).toBe('1.34');
    const back = (await specOf('bg')).nodePools[0]!;
    expect(back).toMatchObject({ name: 'general', generation: 1, kubernetesVersion: '1.33' });
    expect(back.standby).toBeUndefined();
    expect(await p.services.db.selectFrom('clusters').select(['status', 'kubernetes_version']).where('name', '=', 'bg').executeTakeFirstOrThrow()).toEqual({ status: 'ready', kubernetes_version: '1.34' });
    await expectTrpcError(p.caller(alice).clusters.rollback({ name: 'bg' }), 'PRECONDITION_FAILED', /has no node pool to roll back/);

    // roll forward again, then let the window pass: rollback is refused naming when it closed
    const { operation: again } = await p.caller(alice).clusters.upgrade({ name: 'bg', to: '1.34' });
    await succeeded(again);
    expect(pools('bg')).toEqual({ 'general-g2': '1.34 x1', general: '1.33 x0 cordoned', batch: '1.34 x0' });
    const closesAt = (await specOf('bg')).nodePools[0]!.standby!.keepUntil!;
    p.services.clock = () => new Date(Date.parse(closesAt) + 60_000);
    try {
      await expectTrpcError(p.caller(alice).clusters.rollback({ name: 'bg' }), 'PRECONDITION_FAILED', new RegExp(`the rollback window has closed \\(node pool general closed at ${closesAt.replace(/\./g, '\\.')}\\)`));
      // the plan of the next update shows the old generation going, and the update removes it
      const { operation: preview } = await p.caller(alice).clusters.plan({ name: 'bg', set: ['tags.after-window=yes'] });
      const planned = (await succeeded(preview)).result as { steps: { op: string; resource: string }[] };
      expect(planned.steps.filter((s) => s.op === 'delete').map((s) => s.resource)).toEqual(['pool-general']);
      const { operation: update } = await p.caller(alice).clusters.update({ name: 'bg', set: ['tags.after-window=yes'] });
      const applied = await succeeded(update);
      expect(await messages('bg', applied.id)).toContain('removing the previous generation of node pool(s) general: the rollback window closed');
      expect(pools('bg')).toEqual({ 'general-g2': '1.34 x1', batch: '1.34 x0' });
      expect((await specOf('bg')).nodePools[0]!.standby).toBeUndefined();
    } finally {
      delete p.services.clock;
    }
  }, 600_000);

  it('stops at a drain a PodDisruptionBudget blocks, naming it, and rolls back from there', async () => {
    faults({ drain: [{ clusterId: ids.get('pdb'), pool: 'general', blockingPdbs: [{ namespace: 'shop', name: 'db', disruptionsAllowed: 0 }] }] });
    const { operation } = await p.caller(alice).clusters.upgrade({ name: 'pdb', to: '1.34' });
    const failed = await waitForOperation(p.services.db, operation!.id);
    expect(failed.status).toBe('failed');
    expect(failed.error).toMatch(/^step 2\/3 \(cordon and drain node pool general\) failed: drain of node pool general stopped: blocked by PodDisruptionBudget shop\/db \(0 disruption\(s\) allowed\)/);
    // both generations keep running; the old one is cordoned
    expect(pools('pdb')).toEqual({ 'general-g2': '1.34 x1', general: '1.33 x1 cordoned', batch: '1.33 x0' });

    const { operation: rollback } = await p.caller(alice).clusters.rollback({ name: 'pdb' });
    await succeeded(rollback);
    expect(pools('pdb')).toEqual({ general: '1.33 x1', batch: '1.33 x0' });
    expect(controlPlane('pdb')).toBe('1.34');
    faults({});
  }, 600_000);

  it('blocks the roll when the sim cloud cannot give the whole new generation beside the old one', async () => {
    // sim capacity 0 extra nodes: the blue-green pool needs its whole generation (1 node) at once
    faults({ surgeCapacity: [{ clusterId: ids.get('pdb'), nodes: 0 }] });
    const { checks } = await p.caller(alice).clusters.upgrade({ name: 'pdb', to: '1.34', planOnly: true });
    expect(checks.preflight.flatMap((pt) => pt.blockers)).toEqual([
      { check: 'surge-capacity', message: 'node pool general needs 1 surge node(s) to roll, but only 0 can be added (sim cloud capacity: 0 of 0 nodes free (blue-green: a new generation of 1 node(s) beside the old one)); raise the quota or lower maxSurge' },
    ]);
    const { operation } = await p.caller(alice).clusters.upgrade({ name: 'pdb', to: '1.34' });
    const blocked = await waitForOperation(p.services.db, operation!.id);
    expect(blocked.status).toBe('needs_approval');
    expect((blocked.result as { blocked?: { blockers: { check: string }[] } }).blocked?.blockers.map((b) => b.check)).toEqual(['surge-capacity']);
    expect(pools('pdb')).toEqual({ general: '1.33 x1', batch: '1.33 x0' });
    // one node of capacity is enough
    faults({ surgeCapacity: [{ clusterId: ids.get('pdb'), nodes: 1 }] });
    expect((await p.caller(alice).clusters.upgrade({ name: 'pdb', to: '1.34', planOnly: true })).checks.preflight.flatMap((pt) => pt.blockers)).toEqual([]);

    // a quota that cannot be read is shown and logged as a warning, and the upgrade goes on
    const warning = { check: 'surge-capacity' as const, message: 'surge capacity of node pool(s) general was not checked: sim quota unreadable' };
    faults({ preflight: [{ clusterId: ids.get('pdb'), warnings: [warning] }] });
    const plan = await p.caller(alice).clusters.upgrade({ name: 'pdb', to: '1.34', planOnly: true });
    expect(plan.checks.preflight.map((pt) => [pt.blockers, pt.warnings])).toEqual([[[], [warning]]]);
    const { operation: warned } = await p.caller(alice).clusters.upgrade({ name: 'pdb', to: '1.34' });
    const done = await succeeded(warned);
    expect(await messages('pdb', done.id)).toContain(`preflight before step 1/2 (not blocking): ${warning.message}`);
    faults({});
  }, 300_000);
});
