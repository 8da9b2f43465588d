/**
 * Cordon and drain of one cloud pool (a blue-green generation), the contract between the
 * blue-green phases (platform/blue-green-plan.ts) and the readers that do it: the sim cloud's
 * (stacks/sim/sim-drain.ts) and the Kubernetes API one real clouds use
 * (api/worker/health/kube-drain.ts). Its own file, so the rules and the drainers never import
 * each other.
 */
import type { BlockingPdb } from './cluster-probe.ts';

/** How a drain ended. */
export interface DrainOutcome {
  drained: boolean;
  /** Pods evicted. */
  evicted: number;
  /** The PDBs that refused an eviction until the timeout (why `drained` is false). */
  blockedBy: BlockingPdb[];
  /** Other reasons a drain stopped (an API error, the timeout with no PDB named). */
  errors: string[];
}

/** Cordons, uncordons and drains the nodes of one physical pool (by its cloud name). */
export interface PoolDrainer {
  cordon(pool: string): Promise<void>;
  uncordon(pool: string): Promise<void>;
  /** Evicts every evictable pod of the pool's nodes (PDBs are respected: an eviction they refuse is retried until `timeoutMs`). */
  drain(pool: string, opts: { timeoutMs: number; signal?: AbortSignal | undefined }): Promise<DrainOutcome>;
}

/** Default drain timeout when the pool sets no `surge.drainTimeoutMinutes` (AKS's own default, 30 minutes). */
export const DEFAULT_DRAIN_TIMEOUT_MINUTES = 30;

/** Why a drain of `pool` stopped, for an error message. */
export function drainFailureText(pool: string, outcome: DrainOutcome): string {
  const pdbs = outcome.blockedBy.map((p) => `PodDisruptionBudget ${p.namespace}/${p.name} (${p.disruptionsAllowed} disruption(s) allowed)`);
  return `drain of node pool ${pool} stopped: ${[...(pdbs.length ? [`blocked by ${pdbs.join(', ')}`] : []), ...outcome.errors].join('; ') || 'not drained'}`;
}
