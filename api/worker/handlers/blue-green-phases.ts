/**
 * Runs the phases of a blue-green pool upgrade or rollback (platform/blue-green-plan.ts) for one
 * pool: the engine phases as an `up` of the spec the phase leads to, cordon and drain through the
 * cluster's `PoolDrainer`, a health gate after the phases that bring nodes up or remove them. The
 * spec is saved after each phase, so a stopped run resumes at the next one. A drain that PDBs
 * block stops the run naming them (a terminal failure: retrying would meet the same PDBs).
 */
import { applyBlueGreenPhase, ENGINE_PHASES, GATED_PHASES, type BlueGreenPhase } from '../../../platform/blue-green-plan.ts';
import type { ClusterSpec } from '../../../platform/cluster-spec.ts';
import { DomainError } from '../../../platform/errors.ts';
import { DEFAULT_DRAIN_TIMEOUT_MINUTES, drainFailureText, type PoolDrainer } from '../../../platform/pool-drainer.ts';
import { physicalPoolName } from '../../../platform/pool-generation.ts';
import type { StackOutputs } from '../../../stacks/engine/engine.ts';
import { runOptions, type HandlerContext } from './contract.ts';

/** What running phases needs from its caller. */
export interface PhaseRun {
  ctx: HandlerContext;
  drainer: PoolDrainer;
  now: () => number;
  /** The health gate of the spec just applied; throws when it fails. */
  gate: (spec: ClusterSpec, label: string) => Promise<void>;
  /** What the phases are part of, for messages (`step 4/5`, `rollback`). */
  label: string;
  /** The pool's target version (upgrade phases). */
  to?: string;
}

/** Runs `phases` of pool `poolName` from `spec`; returns the spec reached and the last outputs. */
export async function runBlueGreenPhases(run: PhaseRun, spec: ClusterSpec, poolName: string, phases: readonly BlueGreenPhase[]): Promise<{ spec: ClusterSpec; outputs?: StackOutputs }> {
  const { ctx, drainer } = run;
  let outputs: StackOutputs | undefined;
  for (const phase of phases) {
    const pool = spec.nodePools.find((p) => p.name === poolName)!;
    const next = applyBlueGreenPhase(spec, poolName, phase, { now: run.now(), ...(run.to ? { to: run.to } : {}) });
    const message = describePhase(phase, spec, poolName, next);
    ctx.note(`${run.label}: ${message}`);
    await ctx.writes.progress({ step: `${run.label}: ${message}` });
    if (ENGINE_PHASES.has(phase)) {
      ({ outputs } = await ctx.engine.up(ctx.stackFor(next), runOptions(ctx)));
    } else {
      // drain: the old generation; swap (rollback): back onto the old generation, off the new one
      const off = phase === 'drain' ? physicalPoolName(poolName, pool.standby!.generation) : physicalPoolName(poolName, pool.generation);
      if (phase === 'swap') await drainer.uncordon(physicalPoolName(poolName, pool.standby!.generation));
      await drainer.cordon(off);
      const timeoutMs = (pool.surge?.drainTimeoutMinutes ?? DEFAULT_DRAIN_TIMEOUT_MINUTES) * 60_000;
      const outcome = await drainer.drain(off, { timeoutMs, signal: ctx.signal });
      if (!outcome.drained) {
        throw new DomainError('PRECONDITION_FAILED', `${run.label} (${message}) failed: ${drainFailureText(off, outcome)}`, {
          hint: `node pool ${off} stays cordoned and both generations keep running; let the PodDisruptionBudget allow a disruption (scale the workload up), then run the command again, or roll back with kaas clusters rollback ${ctx.cluster.name}`,
        });
      }
      ctx.note(`${run.label}: drained node pool ${off} (${outcome.evicted} pod(s) evicted)`);
    }
    spec = next;
    await ctx.writes.saveClusterSpec(spec);
    if (GATED_PHASES.has(phase)) await run.gate(spec, `${run.label} (${message})`);
  }
  return { spec, ...(outputs ? { outputs } : {}) };
}

/** A phase as people read it. */
export function describePhase(phase: BlueGreenPhase, before: ClusterSpec, poolName: string, after: ClusterSpec): string {
  const b = before.nodePools.find((p) => p.name === poolName)!;
  const a = after.nodePools.find((p) => p.name === poolName)!;
  const cur = (p: typeof b) => physicalPoolName(poolName, p.generation);
  const old = (p: typeof b) => physicalPoolName(poolName, p.standby?.generation);
  switch (phase) {
    case 'remove-standby':
      return `remove node pool ${old(b)} (previous generation of ${poolName})`;
    case 'create-green':
      return `create node pool ${cur(a)} at ${a.kubernetesVersion ?? after.kubernetesVersion} (blue-green; ${cur(b)} keeps serving)`;
    case 'drain':
      return `cordon and drain node pool ${old(a)}`;
    case 'scale-down':
      return `scale node pool ${old(a)} to zero, kept for rollback until ${a.standby?.keepUntil}`;
    case 'restore':
      return `scale node pool ${old(b)} back to ${b.standby?.desiredSize} node(s) at ${b.standby?.kubernetesVersion}`;
    case 'swap':
      return `uncordon node pool ${cur(a)}, cordon and drain node pool ${old(a)}`;
  }
}
