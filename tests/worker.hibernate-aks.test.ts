/**
 * Hibernation of an AKS cluster stops the whole managed cluster, and waking starts it before any
 * apply (the handlers, with a fake engine and a fake `ControlPlanePower` injected through services
 * as `clusterProbe` is). What AKS documents (https://learn.microsoft.com/azure/aks/start-stop-cluster):
 * stopping "stops your control plane and agent nodes"; the system pool is "still required … while
 * the cluster is running", so it cannot be scaled to 0 instead; a stopped cluster can only be
 * started or deleted ("to perform other operations, like scaling or upgrading, start your cluster
 * first"). EKS and GKE have no control-plane stop: hibernation stays one scale-to-zero apply.
 */
import { describe, expect, it } from 'vitest';
import type { TargetRow } from '../api/db/schema.ts';
import { updateHandler } from '../api/worker/handlers/apply.ts';
import type { HandlerContext } from '../api/worker/handlers/contract.ts';
import { deleteHandler } from '../api/worker/handlers/delete.ts';
import type { ControlPlanePowerFactory } from '../api/worker/power/control-plane-power-for.ts';
import { hibernatedSpec, powerSteps, hibernatedClusterRefusal } from '../platform/cloud-hibernation.ts';
import type { PowerState } from '../platform/control-plane-power.ts';
import { standardSpec } from './stacks/fixtures.ts';
import { FakeEngine } from './support/fake-engine.ts';

const target = (cloud: TargetRow['cloud']): TargetRow => ({
  id: 't1', name: `${cloud}-prod`, cloud, region: 'westeurope', account: '00000000-0000-0000-0000-000000000001',
  dns_zones: [], allowed_teams: null, settings: {}, approval_policy: null, created_at: new Date() as any,
});

/** A fake AKS cluster: its power state, and the calls made to it and to the engine, in order. */
function fakeCloud(initial: PowerState) {
  const log: string[] = [];
  const engine = new FakeEngine();
  const cloud = { power: initial };
  const factory: ControlPlanePowerFactory = () => ({
    state: async () => (log.push('state'), cloud.power),
    stop: async () => {
      log.push('stop');
      cloud.power = 'Stopped';
    },
    start: async () => {
      log.push('start');
      cloud.power = 'Running';
    },
  });
  engine.onNext('up', () => void log.push('up'));
  engine.onNext('destroy', () => void log.push('destroy'));
  return { log, engine, cloud, factory };
}

function context(cloud: TargetRow['cloud'], f: ReturnType<typeof fakeCloud>, input: Record<string, unknown>, cluster: Record<string, unknown> = {}): HandlerContext {
  const spec = standardSpec(cloud === 'sim' ? 'aws' : (cloud as 'aws' | 'gcp' | 'azure'));
  return {
    services: { config: { cloudCredentialEnv: {} }, controlPlanePower: f.factory, engine: { outputs: async () => ({ clusterName: { value: 'kaas-c0ffee42', secret: false } }) } } as any,
    operationId: 'o1',
    engine: f.engine as any,
    stack: { stackName: 'kaas-c0ffee42' } as any,
    stackFor: () => ({ stackName: 'kaas-c0ffee42' }) as any,
    checkTarget: async () => ({ ok: true }) as any,
    cluster: { id: 'c0ffee42', name: 'web', hibernated_sizes: null, ...cluster } as any,
    target: target(cloud),
    spec,
    signal: new AbortController().signal,
    input,
    writes: { progress: async () => {}, saveClusterSpec: async () => {}, stepReached: async () => null },
    onEvent: () => {},
    note: () => {},
  };
}

describe('AKS hibernation stops the managed cluster', () => {
  it('hibernate on AKS: stop, and no apply (a stopped cluster keeps its pool sizes; the system pool cannot go to 0)', async () => {
    const f = fakeCloud('Running');
    const out = await updateHandler(context('azure', f, { hibernate: true }));
    expect(f.log).toEqual(['state', 'stop']);
    expect(f.engine.calls).toEqual([]);
    expect(out.result).toMatchObject({ controlPlane: 'stopped' });
    expect(f.cloud.power).toBe('Stopped');
  });

  it('hibernate on AKS when the cluster is already stopped: no second stop', async () => {
    const f = fakeCloud('Stopped');
    await updateHandler(context('azure', f, { hibernate: true }));
    expect(f.log).toEqual(['state']);
  });

  it('wake on AKS: start before the apply', async () => {
    const f = fakeCloud('Stopped');
    await updateHandler(context('azure', f, { wake: true }));
    expect(f.log).toEqual(['state', 'start', 'up']);
  });

  it('EKS and GKE: hibernate and wake are one apply, nothing stopped', async () => {
    for (const cloud of ['aws', 'gcp'] as const) {
      for (const input of [{ hibernate: true }, { wake: true }]) {
        const f = fakeCloud('Running');
        await updateHandler(context(cloud, f, input));
        expect(f.log).toEqual(['up']);
      }
    }
  });

  it('delete of a hibernated AKS cluster starts it first (its addons are torn down through its API server)', async () => {
    const f = fakeCloud('Stopped');
    await deleteHandler(context('azure', f, {}, { hibernated_sizes: { system: { minSize: 2, desiredSize: 3 } } }));
    expect(f.log.slice(0, 3)).toEqual(['state', 'start', 'destroy']);
  });

  it('the rules: steps per cloud, the hibernated spec, and what a stopped AKS cluster refuses', () => {
    expect(powerSteps('azure', 'hibernate')).toEqual(['stop-control-plane']);
    expect(powerSteps('azure', 'wake')).toEqual(['start-control-plane', 'apply']);
    expect(powerSteps('aws', 'hibernate')).toEqual(['apply']);
    expect(powerSteps('gcp', 'wake')).toEqual(['apply']);
    const spec = standardSpec('azure');
    expect(hibernatedSpec('azure', spec)).toBe(spec);
    expect(hibernatedSpec('aws', standardSpec('aws')).nodePools.every((p) => p.desiredSize === 0 && p.minSize === 0)).toBe(true);
    const stopped = { name: 'web', hibernated: true };
    for (const kind of ['upgrade', 'refresh', 'reconcile', 'rollback', 'preview', 'update']) {
      const err = hibernatedClusterRefusal('azure', stopped, kind, {});
      expect(err?.code).toBe('PRECONDITION_FAILED');
      expect(err?.message).toMatch(/is hibernated: its AKS cluster is stopped .* can only be started or deleted/);
      expect(err?.hint).toContain('kaas clusters wake web --wait');
    }
    expect(hibernatedClusterRefusal('azure', stopped, 'update', { wake: true })).toBeUndefined();
    expect(hibernatedClusterRefusal('azure', stopped, 'update', { hibernate: true })).toBeUndefined();
    expect(hibernatedClusterRefusal('azure', stopped, 'delete', {})).toBeUndefined();
    expect(hibernatedClusterRefusal('azure', { name: 'web', hibernated: false }, 'upgrade', {})).toBeUndefined();
    // EKS/GKE keep their control plane: a hibernated cluster there is only scaled down
    expect(hibernatedClusterRefusal('aws', stopped, 'refresh', {})).toBeUndefined();
  });
});
