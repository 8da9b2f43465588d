/**
 * The cloud pools behind one spec pool. A surge pool is one cloud pool with the spec pool's name;
 * a blue-green pool is its current generation (`<pool>` for generation 1, `<pool>-g<n>` after)
 * plus, while a rollback is possible, its previous generation (`standby`). Every cloud program
 * builds `physicalPools(spec)`, and health gates expect each physical pool at its own version.
 */
import type { ClusterSpec, NodePoolSpec } from './cluster-spec.ts';

/** The node label naming a node's physical (generation) pool, set on blue-green pools. */
export const PHYSICAL_POOL_LABEL = 'kaas.io/node-pool';

/** The cloud name of generation `generation` of pool `name`. */
export function physicalPoolName(name: string, generation: number | undefined): string {
  return generation === undefined || generation <= 1 ? name : `${name}-g${generation}`;
}

/** A physical pool: the spec pool fields, under its generation's name. */
export interface PhysicalPool extends NodePoolSpec {
  /** The spec pool it belongs to. */
  logicalName: string;
  role: 'current' | 'standby';
  /** The pool is cordoned (no new pods are scheduled on it). */
  cordoned: boolean;
  /**
   * The pool's node count is kaas's, not the autoscaler's: a cordoned kept generation (drained,
   * scaled to zero, or restored for a rollback). Cloud programs set `desiredSize` through the
   * cloud's own size field, autoscaler off where the cloud needs it, and never ignore changes to it.
   * Every pool of a hibernated cluster is fixed at 0 the same way (`physicalPools(spec, { hibernated })`).
   */
  fixedSize: boolean;
}

/** What a cluster's program knows besides its spec; never part of the spec, so no user input can set it. */
export interface PoolState {
  /**
   * The cluster is hibernated (its row has recorded sizes to restore): every physical pool is fixed
   * at 0 nodes (min 0, desired 0, autoscaler off where the cloud has one), because a cloud
   * autoscaler left at min 0 does not reliably remove the last nodes (system pods keep them).
   */
  hibernated?: boolean;
}

function label(pool: NodePoolSpec, physical: string): Record<string, string> {
  return pool.upgradeStrategy === 'blue-green' || pool.standby ? { ...pool.labels, [PHYSICAL_POOL_LABEL]: physical } : pool.labels;
}

/** Every cloud pool of `spec`, current generations first in spec order, then each standby after its pool. */
export function physicalPools(spec: ClusterSpec, state: PoolState = {}): PhysicalPool[] {
  const pools = awakePools(spec);
  return state.hibernated ? pools.map((p) => ({ ...p, minSize: 0, desiredSize: 0, fixedSize: true })) : pools;
}

function awakePools(spec: ClusterSpec): PhysicalPool[] {
  return spec.nodePools.flatMap((pool): PhysicalPool[] => {
    const { standby, generation, ...fields } = pool;
    const name = physicalPoolName(pool.name, generation);
    const current: PhysicalPool = { ...fields, name, labels: label(pool, name), logicalName: pool.name, role: 'current', cordoned: false, fixedSize: false };
    if (!standby) return [current];
    const old = physicalPoolName(pool.name, standby.generation);
    const down = standby.phase === 'scaled-down';
    // the standby generation runs its own version: the current generation's patch pin is not its
    const { kubernetesPatch: _pin, ...standbyFields } = fields;
    return [
      current,
      {
        ...standbyFields,
        name: old,
        labels: label(pool, old),
        kubernetesVersion: standby.kubernetesVersion,
        minSize: down ? 0 : standby.minSize,
        desiredSize: down ? 0 : standby.desiredSize,
        logicalName: pool.name,
        role: 'standby',
        cordoned: standby.phase !== 'serving',
        fixedSize: standby.phase !== 'serving',
      },
    ];
  });
}
