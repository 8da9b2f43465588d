import { describe, expect, it } from 'vitest';
import { applyBlueGreenPhase, blueGreenUpgradePhases, keptGenerationScaleDown, planRollback, pruneStandbys, rollbackPhases, type BlueGreenPhase } from './blue-green-plan.ts';
import type { ClusterSpec, NodePoolSpec, StandbyPool } from './cluster-spec.ts';
import { DomainError } from './errors.ts';
import { expectationOf } from './health-gate.ts';
import { physicalPools } from './pool-generation.ts';
import { isUpgradeStepDone } from './upgrade-step.ts';

const HOUR = 3_600_000;
const T0 = Date.parse('2026-12-02T09:00:00Z');

const general: NodePoolSpec = { name: 'general', machineType: 'sim.small', minSize: 1, maxSize: 3, desiredSize: 2, labels: { 'kaas.io/pool': 'general' }, taints: [], upgradeStrategy: 'blue-green' };

function spec(pool: Partial<NodePoolSpec> = {}, extra: Partial<ClusterSpec> = {}): ClusterSpec {
  return {
    name: 'shop',
    team: 'payments',
    target: { name: 'sim-local', cloud: 'sim', region: 'local', account: 'local', dnsZones: [] },
    kubernetesVersion: '1.34',
    nodePools: [{ ...general, kubernetesVersion: '1.33', ...pool }],
    addons: {},
    networking: { authorizedCidrs: [], privateEndpoint: false, publicNodeIps: false, vpc: { mode: 'create', cidr: '10.0.0.0/16' } },
    tags: {},
    deletionProtection: false,
    upgrade: { rollbackWindowHours: 6 },
    ...extra,
  };
}

const standby = (s: Partial<StandbyPool>): StandbyPool => ({ generation: 1, kubernetesVersion: '1.33', desiredSize: 2, minSize: 1, phase: 'scaled-down', ...s });

/** Runs phases in order, returning every intermediate spec. */
function run(from: ClusterSpec, phases: BlueGreenPhase[], to?: string, now = T0): ClusterSpec[] {
  return phases.reduce<ClusterSpec[]>((acc, phase) => [...acc, applyBlueGreenPhase(acc.at(-1)!, 'general', phase, { now, ...(to ? { to } : {}) })], [from]);
}

describe('blue-green upgrade phases', () => {
  it.each<[string, Partial<NodePoolSpec>, string, BlueGreenPhase[]]>([
    ['a pool behind the target', {}, '1.34', ['create-green', 'drain', 'scale-down']],
    ['a pool behind with an older kept generation', { generation: 2, standby: standby({ kubernetesVersion: '1.32' }) }, '1.34', ['remove-standby', 'create-green', 'drain', 'scale-down']],
    ['the new generation up, the old one still serving', { kubernetesVersion: undefined, generation: 2, standby: standby({ phase: 'serving' }) }, '1.34', ['drain', 'scale-down']],
    ['the old generation drained', { kubernetesVersion: undefined, generation: 2, standby: standby({ phase: 'cordoned' }) }, '1.34', ['scale-down']],
    ['done: the old generation scaled down', { kubernetesVersion: undefined, generation: 2, standby: standby({}) }, '1.34', []],
  ])('%s', (_name, pool, to, phases) => {
    expect(blueGreenUpgradePhases({ ...general, kubernetesVersion: '1.33', ...pool }, '1.34', to)).toEqual(phases);
  });

  it('creates a new generation at the target, keeps the old one serving, drains it, then keeps it at zero nodes for the window', () => {
    const states = run(spec(), ['create-green', 'drain', 'scale-down'], '1.34');
    const pools = states.map((s) => physicalPools(s).map((p) => `${p.name}@${p.kubernetesVersion ?? s.kubernetesVersion}x${p.desiredSize}${p.cordoned ? ' cordoned' : ''}`));
    expect(pools).toEqual([
      ['general@1.33x2'],
      ['general-g2@1.34x2', 'general@1.33x2'],
      ['general-g2@1.34x2', 'general@1.33x2 cordoned'],
      ['general-g2@1.34x2', 'general@1.33x0 cordoned'],
    ]);
    // the new generation follows the control plane; the old one's window closes after rollbackWindowHours
    expect(states[3]!.nodePools[0]).toMatchObject({ generation: 2, standby: { phase: 'scaled-down', keepUntil: '2026-12-02T15:00:00.000Z' } });
    expect(states[3]!.nodePools[0]!.kubernetesVersion).toBeUndefined();
    // gates expect each cloud pool at its own version, and both generations carry their own label
    expect(expectationOf(states[1]!).pools).toEqual({ 'general-g2': '1.34', general: '1.33' });
    expect(physicalPools(states[1]!).map((p) => p.labels['kaas.io/node-pool'])).toEqual(['general-g2', 'general']);
  });

  it('counts the node-pool step done only once the old generation is scaled down', () => {
    const step = { kind: 'node-pool', pool: 'general', from: '1.33', to: '1.34' } as const;
    const states = run(spec(), ['create-green', 'drain', 'scale-down'], '1.34');
    expect(states.map((s) => isUpgradeStepDone(s, step))).toEqual([false, false, false, true]);
  });

  it('uses the default 24-hour window when the template sets none', () => {
    const [, , done] = run(spec({}, { upgrade: {} }), ['create-green', 'scale-down'], '1.34');
    expect(done!.nodePools[0]!.standby!.keepUntil).toBe(new Date(T0 + 24 * HOUR).toISOString());
  });
});

describe('rollback', () => {
  const upgraded = spec({ kubernetesVersion: undefined, generation: 2, standby: standby({ keepUntil: new Date(T0 + 6 * HOUR).toISOString() }) });

  it.each<[string, StandbyPool | undefined, BlueGreenPhase[]]>([
    ['no kept generation', undefined, []],
    ['kept and scaled down', standby({}), ['restore', 'swap', 'remove-standby']],
    ['an upgrade stopped at the drain', standby({ phase: 'cordoned' }), ['restore', 'swap', 'remove-standby']],
    ['a rollback stopped after the swap', standby({ phase: 'retiring' }), ['remove-standby']],
  ])('phases: %s', (_name, kept, phases) => {
    expect(rollbackPhases({ ...general, ...(kept ? { standby: kept } : {}) })).toEqual(phases);
  });

  it('returns the pool to its old generation and version, removing the new one; the control plane stays', () => {
    const plan = planRollback(upgraded, T0 + 5 * HOUR, 3);
    expect(plan.pools).toEqual([{ name: 'general', from: '1.34', to: '1.33', phases: ['restore', 'swap', 'remove-standby'] }]);
    const states = run(upgraded, plan.pools[0]!.phases);
    expect(states.map((s) => physicalPools(s).map((p) => `${p.name}@${p.kubernetesVersion ?? s.kubernetesVersion}x${p.desiredSize}${p.cordoned ? ' cordoned' : ''}`))).toEqual([
      ['general-g2@1.34x2', 'general@1.33x0 cordoned'],
      ['general-g2@1.34x2', 'general@1.33x2 cordoned'],
      ['general@1.33x2', 'general-g2@1.34x2 cordoned'],
      ['general@1.33x2'],
    ]);
    expect(states.at(-1)!.kubernetesVersion).toBe('1.34');
    expect(states.at(-1)!.nodePools[0]).toMatchObject({ name: 'general', generation: 1, kubernetesVersion: '1.33' });
    expect(states.at(-1)!.nodePools[0]!.standby).toBeUndefined();
  });

  it.each<[string, ClusterSpec, number, number, RegExp]>([
    ['no pool keeps a previous generation', spec(), T0, 3, /has no node pool to roll back: no pool keeps a previous generation/],
    ['the window closed', upgraded, T0 + 6 * HOUR, 3, /the rollback window has closed \(node pool general closed at 2026-12-02T15:00:00.000Z\)/],
    ['the old version is beyond the skew', upgraded, T0, 0, /node pool general would go back to 1\.33, more than 0 minor\(s\) behind the control plane \(1\.34\), and control planes cannot be downgraded/],
  ])('refuses when %s', (_name, s, now, skew, message) => {
    let error: unknown;
    try {
      planRollback(s, now, skew);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe('PRECONDITION_FAILED');
    expect((error as DomainError).message).toMatch(message);
  });

  it('rolls back an upgrade stopped mid-way whatever the clock says (no window started yet)', () => {
    const stopped = spec({ kubernetesVersion: undefined, generation: 2, standby: standby({ phase: 'cordoned' }) });
    expect(planRollback(stopped, T0 + 1000 * HOUR, 3).pools[0]!.to).toBe('1.33');
  });
});

describe('pruning kept generations', () => {
  it.each<[string, StandbyPool, number, boolean]>([
    ['inside the window', standby({ keepUntil: new Date(T0 + HOUR).toISOString() }), T0, true],
    ['at the close of the window', standby({ keepUntil: new Date(T0 + HOUR).toISOString() }), T0 + HOUR, false],
    ['retiring (a rollback moved off it)', standby({ phase: 'retiring' }), T0, false],
    ['mid-upgrade (not scaled down yet)', standby({ phase: 'serving' }), T0 + 1000 * HOUR, true],
  ])('%s', (_name, kept, now, stays) => {
    const s = spec({ generation: 2, standby: kept });
    expect(pruneStandbys(s, now).nodePools[0]!.standby !== undefined).toBe(stays);
  });
});

describe('how each cloud keeps the old generation at zero (plan notes)', () => {
  it('names the cloud field set to 0, and on AKS that the system pool never has a kept generation', () => {
    expect(keptGenerationScaleDown('aws')).toMatch(/EKS node group scalingConfig desiredSize 0 and minSize 0/);
    expect(keptGenerationScaleDown('gcp')).toMatch(/GKE node pool nodeCount 0, autoscaling off/);
    expect(keptGenerationScaleDown('azure')).toMatch(/AKS user pool count 0, autoscaler off.*system pool cannot be scaled to 0/);
    expect(keptGenerationScaleDown('sim')).toMatch(/0 nodes/);
  });
});
