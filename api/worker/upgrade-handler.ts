/**
 * The `upgrade` handler: runs an upgrade plan step by step, each step an engine `up` of the spec
 * advanced to that step (control plane, then addons, then node pools, per minor hop). After each
 * step the cluster's spec and version are saved, so state stays true if a later step fails; the
 * operation records the step reached (`step_index`) and a `step i/n` message per step. A failed
 * step stops the upgrade with an error naming it; a resumed upgrade skips the completed steps.
 */
import { addonRequirementsFor } from '../../platform/addon-requirements.ts';
import type { ClusterSpec } from '../../platform/cluster-spec.ts';
import { planUpgrade, type UpgradePlan, type UpgradeStep } from '../../platform/upgrade-plan.ts';
import { applyUpgradeStep, describeUpgradeStep, isUpgradeStepDone } from '../../platform/upgrade-step.ts';
import { DEFAULT_VERSION_POLICY } from '../../platform/version-policy.ts';
import { EngineError, toEngineError } from '../../stacks/engine/engine-error.ts';
import type { StackOutputs } from '../../stacks/engine/engine.ts';
import { targetRef } from '../clusters/create-cluster.ts';
import { parseUpgradeInput, type UpgradeProgress } from '../clusters/upgrade-input.ts';
import type { Db } from '../db/schema.ts';
import type { HandlerContext, HandlerResult } from './operation-handlers.ts';
import { clusterProgramTarget } from '../targets/target-program.ts';

/** The error of a failed step: same kind (so the retry policy still applies), message naming the step. */
function stepFailed(err: unknown, index: number, total: number, step: UpgradeStep): EngineError {
  const cause = toEngineError(err);
  return new EngineError(cause.kind, `step ${index + 1}/${total} (${describeUpgradeStep(step)}) failed: ${cause.message}`, cause.hint, err);
}

/** Saves the cluster's spec after a completed step (and a template override of the version, if any). */
async function saveClusterSpec(db: Db, clusterId: string, spec: ClusterSpec): Promise<void> {
  const row = await db.selectFrom('clusters').select('overrides').where('id', '=', clusterId).executeTakeFirstOrThrow();
  const overrides = 'kubernetesVersion' in row.overrides ? { ...row.overrides, kubernetesVersion: spec.kubernetesVersion } : row.overrides;
  await db
    .updateTable('clusters')
    .set({ spec: JSON.stringify(spec), kubernetes_version: spec.kubernetesVersion, overrides: JSON.stringify(overrides), updated_at: new Date() })
    .where('id', '=', clusterId)
    .execute();
}

async function saveProgress(db: Db, operationId: string, stepIndex: number, progress: UpgradeProgress): Promise<void> {
  await db.updateTable('operations').set({ step_index: stepIndex, result: JSON.stringify(progress) }).where('id', '=', operationId).execute();
}

export async function upgradeHandler(ctx: HandlerContext): Promise<HandlerResult> {
  const { db, config } = ctx.services;
  const input = parseUpgradeInput(ctx.input);
  // read fresh: an earlier attempt of this operation may have completed steps already
  const op = await db.selectFrom('operations').select(['step_index', 'result']).where('id', '=', ctx.operationId).executeTakeFirstOrThrow();
  const cluster = await db.selectFrom('clusters').select('spec').where('id', '=', ctx.cluster.id).executeTakeFirstOrThrow();
  let spec = { ...(cluster.spec as ClusterSpec), target: targetRef(ctx.target) };
  const plan: UpgradePlan =
    input.plan ?? (op.result as Partial<UpgradeProgress> | null)?.plan ?? planUpgrade(spec, input.toVersion, DEFAULT_VERSION_POLICY, addonRequirementsFor(spec.target.cloud));
  const total = plan.steps.length;
  const progress = (completedSteps: number): UpgradeProgress => ({ toVersion: input.toVersion, plan, completedSteps, ...(input.campaignId ? { campaignId: input.campaignId } : {}) });
  const start = Math.max(input.resumeFrom ?? 0, op.step_index ?? 0);
  if (start > 0) ctx.note(`resuming the upgrade to ${input.toVersion} at step ${Math.min(start + 1, total)}/${total}; steps 1–${start} are done`);

  let outputs: StackOutputs | undefined;
  for (let i = start; i < total; i++) {
    const step = plan.steps[i]!;
    await saveProgress(db, ctx.operationId, i, progress(i));
    if (isUpgradeStepDone(spec, step)) {
      ctx.note(`step ${i + 1}/${total}: ${describeUpgradeStep(step)} (already done)`);
      continue;
    }
    ctx.note(`step ${i + 1}/${total}: ${describeUpgradeStep(step)}`);
    await db.updateTable('operations').set({ step: `step ${i + 1}/${total}: ${describeUpgradeStep(step)}` }).where('id', '=', ctx.operationId).execute();
    const next = applyUpgradeStep(spec, step);
    try {
      ({ outputs } = await ctx.engine.up(clusterProgramTarget(config, ctx.cluster, ctx.target, next), { onEvent: ctx.onEvent, signal: ctx.signal }));
    } catch (err) {
      throw stepFailed(err, i, total, step);
    }
    spec = next;
    await saveClusterSpec(db, ctx.cluster.id, spec);
  }
  await saveProgress(db, ctx.operationId, total, progress(total));
  ctx.note(`upgraded to ${spec.kubernetesVersion} in ${total} step(s)`);
  return { result: progress(total), spec, ...(outputs ? { outputs } : {}) };
}
