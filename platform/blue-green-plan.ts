/**
 * Blue-green node-pool upgrades and their rollback, as pure state transitions of the spec.
 *
 * Upgrade of a blue-green pool to `to` (one `node-pool` step of an upgrade plan):
 *   `remove-standby` (an older kept generation, if any) → `create-green` (a new generation at
 *   `to`; the old one becomes the standby, still serving) → health gate → `drain` (cordon the old
 *   generation, evict its pods respecting PDBs) → `scale-down` (the old generation at zero nodes,
 *   kept until the rollback window closes).
 * Rollback (`kaas clusters rollback`): `restore` (the standby back at its size, still cordoned)
 *   → health gate → `swap` (uncordon it, cordon and drain the new generation; the old generation
 *   is current again, the new one `retiring`) → `remove-standby` (the new generation deleted).
 * Each phase is derived from the spec's state, so a stopped upgrade or rollback resumes where it
 * was. Only node pools go back: kaas never downgrades a control plane (see upgrade-plan.ts).
 */
import type { Cloud, ClusterSpec, NodePoolSpec, StandbyPool } from './cluster-spec.ts';
import { DomainError } from './errors.ts';
import { compareMinorVersions, minorDistance } from './kubernetes-version.ts';

/** How long the old generation is kept for rollback when the template says nothing. */
export const DEFAULT_ROLLBACK_WINDOW_HOURS = 24;

/** One phase of a blue-green upgrade or rollback of one pool. */
export type BlueGreenPhase = 'remove-standby' | 'create-green' | 'drain' | 'scale-down' | 'restore' | 'swap';

/** Phases that change the cloud through an engine `up` (the others go through the Kubernetes API). */
export const ENGINE_PHASES: ReadonlySet<BlueGreenPhase> = new Set(['remove-standby', 'create-green', 'scale-down', 'restore']);

/** Phases after which a health gate must pass (new nodes must be Ready before anything moves to them). */
export const GATED_PHASES: ReadonlySet<BlueGreenPhase> = new Set(['create-green', 'restore', 'remove-standby']);

/**
 * How each cloud holds the drained old generation at zero nodes (the programs set it through the
 * cloud's own size field, stacks/*: `PhysicalPool.fixedSize`), for plan output and the README.
 */
const KEPT_AT_ZERO: Readonly<Record<Cloud, string>> = {
  aws: 'EKS node group scalingConfig desiredSize 0 and minSize 0 (maxSize stays at least 1, the API minimum)',
  gcp: 'GKE node pool nodeCount 0, autoscaling off',
  azure: 'AKS user pool count 0, autoscaler off (the system pool is never blue-green: an AKS system pool cannot be scaled to 0)',
  sim: 'sim pool documents at 0 nodes',
};

/** How `cloud` keeps a drained old generation at zero nodes. */
export function keptGenerationScaleDown(cloud: Cloud): string {
  return KEPT_AT_ZERO[cloud];
}

/** Whether `pool` is upgraded blue-green. */
export function isBlueGreen(pool: NodePoolSpec): boolean {
  return pool.upgradeStrategy === 'blue-green';
}

function versionOf(pool: NodePoolSpec, controlPlane: string): string {
  return pool.kubernetesVersion ?? controlPlane;
}

/** The phases still to run to bring blue-green `pool` to `to`, given where it is now. */
export function blueGreenUpgradePhases(pool: NodePoolSpec, controlPlane: string, to: string): BlueGreenPhase[] {
  if (compareMinorVersions(versionOf(pool, controlPlane), to) < 0) {
    return [...(pool.standby ? (['remove-standby'] as const) : []), 'create-green', 'drain', 'scale-down'];
  }
  switch (pool.standby?.phase) {
    case 'serving':
      return ['drain', 'scale-down'];
    case 'cordoned':
      return ['scale-down'];
    default:
      return [];
  }
}

/** The phases still to run to roll `pool` back to its standby generation. */
export function rollbackPhases(pool: NodePoolSpec): BlueGreenPhase[] {
  switch (pool.standby?.phase) {
    case undefined:
      return [];
    case 'retiring':
      return ['remove-standby'];
    default:
      return ['restore', 'swap', 'remove-standby'];
  }
}

/** What a phase needs besides the spec. */
export interface PhaseContext {
  /** The pool's target version (`create-green`). */
  to?: string;
  /** Now, ms since the epoch (`scale-down` starts the window). */
  now: number;
}

function withPool(spec: ClusterSpec, name: string, change: (pool: NodePoolSpec) => NodePoolSpec): ClusterSpec {
  if (!spec.nodePools.some((p) => p.name === name)) throw new Error(`no node pool "${name}" in spec ${spec.name}`);
  return { ...spec, nodePools: spec.nodePools.map((p) => (p.name === name ? change(p) : p)) };
}

function withoutStandby(pool: NodePoolSpec): NodePoolSpec {
  const { standby: _gone, ...rest } = pool;
  return rest;
}

/** A pool at `version`, which follows the control plane (no explicit version) when it equals it. */
function atVersion(pool: NodePoolSpec, version: string, controlPlane: string): NodePoolSpec {
  const { kubernetesVersion: _old, ...rest } = pool;
  return version === controlPlane ? rest : { ...rest, kubernetesVersion: version };
}

function standbyOf(spec: ClusterSpec, pool: NodePoolSpec): StandbyPool {
  if (!pool.standby) throw new Error(`node pool "${pool.name}" of ${spec.name} has no standby generation`);
  return pool.standby;
}

/** The spec after `phase` of pool `poolName`. */
export function applyBlueGreenPhase(spec: ClusterSpec, poolName: string, phase: BlueGreenPhase, ctx: PhaseContext): ClusterSpec {
  const cp = spec.kubernetesVersion;
  return withPool(spec, poolName, (pool) => {
    switch (phase) {
      case 'remove-standby':
        return withoutStandby(pool);
      case 'create-green': {
        if (ctx.to === undefined) throw new Error('create-green needs the target version');
        const generation = pool.generation ?? 1;
        const standby: StandbyPool = { generation, kubernetesVersion: versionOf(pool, cp), desiredSize: pool.desiredSize, minSize: pool.minSize, phase: 'serving' };
        return { ...atVersion(pool, ctx.to, cp), generation: generation + 1, standby };
      }
      case 'drain':
        return { ...pool, standby: { ...standbyOf(spec, pool), phase: 'cordoned' } };
      case 'scale-down': {
        const hours = spec.upgrade?.rollbackWindowHours ?? DEFAULT_ROLLBACK_WINDOW_HOURS;
        return { ...pool, standby: { ...standbyOf(spec, pool), phase: 'scaled-down', keepUntil: new Date(ctx.now + hours * 3_600_000).toISOString() } };
      }
      case 'restore': {
        const { keepUntil: _open, ...standby } = standbyOf(spec, pool);
        return { ...pool, standby: { ...standby, phase: 'cordoned' } };
      }
      case 'swap': {
        const old = standbyOf(spec, pool);
        const retiring: StandbyPool = { generation: pool.generation ?? 1, kubernetesVersion: versionOf(pool, cp), desiredSize: pool.desiredSize, minSize: pool.minSize, phase: 'retiring' };
        return { ...atVersion(pool, old.kubernetesVersion, cp), desiredSize: old.desiredSize, minSize: old.minSize, generation: old.generation, standby: retiring };
      }
    }
  });
}

/** Standbys whose window closed, and retiring ones, removed: what the next apply runs with. */
export function pruneStandbys(spec: ClusterSpec, now: number): ClusterSpec {
  const expired = (s: StandbyPool) => s.phase === 'retiring' || (s.phase === 'scaled-down' && s.keepUntil !== undefined && Date.parse(s.keepUntil) <= now);
  if (!spec.nodePools.some((p) => p.standby && expired(p.standby))) return spec;
  return { ...spec, nodePools: spec.nodePools.map((p) => (p.standby && expired(p.standby) ? withoutStandby(p) : p)) };
}

/** The pools a rollback of `spec` moves back, now. */
export interface RollbackPlan {
  pools: { name: string; from: string; to: string; phases: BlueGreenPhase[] }[];
}

/**
 * Which pools `kaas clusters rollback` returns to their previous generation at `now`, or throws
 * PRECONDITION_FAILED naming why not: no blue-green pool keeps a previous generation, the window
 * closed (and when), or the old version is too far behind the control plane for the cloud's skew.
 */
export function planRollback(spec: ClusterSpec, now: number, maxNodeSkew: number): RollbackPlan {
  const cp = spec.kubernetesVersion;
  const kept = spec.nodePools.filter((p) => p.standby !== undefined);
  if (kept.length === 0) {
    throw new DomainError('PRECONDITION_FAILED', `cluster "${spec.name}" has no node pool to roll back: no pool keeps a previous generation`, {
      hint: 'only node pools upgraded with upgradeStrategy: blue-green keep their previous generation, for the template\'s rollbackWindowHours; control planes cannot be downgraded',
    });
  }
  const closed = kept.filter((p) => p.standby!.phase === 'scaled-down' && p.standby!.keepUntil !== undefined && Date.parse(p.standby!.keepUntil) <= now);
  if (closed.length > 0) {
    const when = closed.map((p) => `node pool ${p.name} closed at ${p.standby!.keepUntil}`).join('; ');
    throw new DomainError('PRECONDITION_FAILED', `cannot roll back cluster "${spec.name}": the rollback window has closed (${when}); its previous generation is removed by the next apply`, {
      hint: `roll forward instead (fix the workloads, or change the pool and kaas clusters update ${spec.name}); a longer window is spec.upgrade.rollbackWindowHours in the template`,
    });
  }
  const tooOld = kept.filter((p) => p.standby!.phase !== 'retiring' && minorDistance(p.standby!.kubernetesVersion, cp) > maxNodeSkew);
  if (tooOld.length > 0) {
    const which = tooOld.map((p) => `node pool ${p.name} would go back to ${p.standby!.kubernetesVersion}`).join('; ');
    throw new DomainError('PRECONDITION_FAILED', `cannot roll back cluster "${spec.name}": ${which}, more than ${maxNodeSkew} minor(s) behind the control plane (${cp}), and control planes cannot be downgraded`, {
      hint: 'roll forward instead: fix the workloads on the new node pool generation',
    });
  }
  return {
    pools: kept.map((p) => ({ name: p.name, from: versionOf(p, cp), to: p.standby!.phase === 'retiring' ? versionOf(p, cp) : p.standby!.kubernetesVersion, phases: rollbackPhases(p) })),
  };
}
