/**
 * The `rollback` handler: for each blue-green pool that keeps a previous generation, the rollback
 * phases (platform/blue-green-plan.ts): the old generation scaled back up (gated: its nodes Ready
 * at the old version), uncordoned, the new generation cordoned and drained (PDBs respected), then
 * removed (gated). The window is checked again when the operation runs. The spec is saved after
 * each phase, so `kaas clusters retry` after a stop continues where it was.
 */
import type { ClusterSpec } from '../../../platform/cluster-spec.ts';
import { DomainError } from '../../../platform/errors.ts';
import { expectationOf, gateFailureText, runHealthGate } from '../../../platform/health-gate.ts';
import { realGateClock } from '../health/real-gate-clock.ts';
import type { StackOutputs } from '../../../stacks/engine/engine.ts';
import { ROLLBACK_NOTE, rollbackPlanOf } from '../../clusters/rollback-cluster.ts';
import { targetRef } from '../../clusters/create-cluster.ts';
import type { GateRecord } from '../../clusters/upgrade-input.ts';
import { clockOf } from '../../clock.ts';
import { clusterProbeOf } from '../health/cluster-probe-for.ts';
import { poolDrainerFor } from '../health/pool-drainer-for.ts';
import { runBlueGreenPhases } from './blue-green-phases.ts';
import type { Handler } from './contract.ts';

export const rollbackHandler: Handler = async (ctx) => {
  const row = await ctx.services.db.selectFrom('clusters').select('spec').where('id', '=', ctx.cluster.id).executeTakeFirstOrThrow();
  let spec: ClusterSpec = { ...(row.spec as ClusterSpec), target: targetRef(ctx.target) };
  const plan = rollbackPlanOf(ctx.services, spec);
  ctx.note(ROLLBACK_NOTE);
  let outputs: StackOutputs | undefined;
  const read = async () => outputs ?? (await ctx.services.engine.outputs(ctx.stack));
  const probe = clusterProbeOf(ctx.services, ctx.cluster, ctx.target, read);
  const drainer = poolDrainerFor(ctx.services.config, ctx.cluster, ctx.target, read);
  const gates: GateRecord[] = [];
  const gate = async (applied: ClusterSpec, label: string) => {
    const outcome = await runHealthGate(probe, expectationOf(applied), applied.upgrade, { clock: realGateClock, signal: ctx.signal });
    gates.push({ afterStep: gates.length, passed: outcome.passed, elapsedMs: outcome.elapsedMs, results: outcome.results });
    if (!outcome.passed) {
      throw new DomainError('PRECONDITION_FAILED', `health gate after ${label} failed: ${gateFailureText(outcome)}`, { hint: `fix the cluster, then continue with kaas clusters retry ${ctx.cluster.name}` });
    }
  };
  for (const pool of plan.pools) {
    const done = await runBlueGreenPhases({ ctx, drainer, now: clockOf(ctx.services), gate, label: `rollback of node pool ${pool.name} ${pool.from} → ${pool.to}` }, spec, pool.name, pool.phases);
    spec = done.spec;
    outputs = done.outputs ?? outputs;
  }
  ctx.note(`rolled back node pool(s) ${plan.pools.map((p) => `${p.name} to ${p.to}`).join(', ')}; the control plane stays at ${spec.kubernetesVersion}`);
  return { result: { pools: plan.pools, gates }, spec, ...(outputs ? { outputs } : {}) };
};
