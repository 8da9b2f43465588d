/**
 * Node-pool sizes recorded before a cluster sleeps and restored exactly on wake, and the spec with
 * every pool at 0. Kept apart from the schedule (which pulls zod in) so the CLI can show what
 * hibernation does per cloud without loading the schema library.
 */

/** Node-pool sizes as recorded before sleeping: restored exactly on wake. */
export type PoolSizes = Record<string, { desiredSize: number; minSize: number }>;

/** The node pools of `spec` asleep (every pool at 0) or restored to recorded sizes (pools not recorded keep theirs). */
export function withPoolSizes<P extends { name: string; minSize: number; desiredSize: number }, S extends { nodePools: P[] }>(spec: S, sizes: PoolSizes | 'zero'): S {
  return {
    ...spec,
    nodePools: spec.nodePools.map((p) => {
      const s = sizes === 'zero' ? { minSize: 0, desiredSize: 0 } : sizes[p.name];
      return s ? { ...p, minSize: s.minSize, desiredSize: s.desiredSize } : p;
    }),
  };
}

/** The sizes to record before sleeping. */
export function recordedSizes(pools: readonly { name: string; minSize: number; desiredSize: number }[]): PoolSizes {
  return Object.fromEntries(pools.map((p) => [p.name, { desiredSize: p.desiredSize, minSize: p.minSize }]));
}
