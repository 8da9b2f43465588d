/**
 * The `upgrade` handler: runs an upgrade plan step by step, each step an engine `up` of the spec
 * advanced to that step (control plane, then addons, then node pools, per minor hop). After each
 * step the cluster's spec and version are saved, so state stays true if a later step fails; the
 * operation records the step reached (`step_index`) and a `step i/n` message per step. A failed
 * step stops the upgrade with an error naming it; a resumed upgrade skips the completed steps.
 */
import { addonRequirementsFor } from '../../../platform/addon-requirements.ts';
import type { ClusterSpec } from '../../../platform/cluster-spec.ts';
import { planUpgrade, type UpgradePlan, type UpgradeStep } from '../../../platform/upgrade-plan.ts';
import { applyUpgradeStep, describeUpgradeStep, isUpgradeStepDone } from '../../../platform/upgrade-step.ts';
import { currentVersionRules } from '../../versions/version-rules.ts';
import { EngineError, toEngineError } from '../../../stacks/engine/engine-error.ts';
import type { StackOutputs } from '../../../stacks/engine/engine.ts';
import { targetRef } from '../../clusters/create-cluster.ts';
import { parseUpgradeInput, type UpgradeProgress } from '../../clusters/upgrade-input.ts';
import { runOptions, type Handler } from './contract.ts';

/** The error of a failed step: same kind (so the retry policy still applies), message naming the step. */
function stepFailed(err: unknown, index: number, total: number, step: UpgradeStep): EngineError {
  const cause = toEngineError(err);
  return new EngineError(cause.kind, `step ${index + 1}/${total} (${describeUpgradeStep(step)}) failed: ${cause.message}`, cause.hint, err);
}

export const upgradeHandler: Handler = async (ctx) => {
  const { db } = ctx.services;
  const input = parseUpgradeInput(ctx.input);
  // read fresh: an earlier attempt of this operation may have completed steps already
  const op = await db.selectFrom('operations').select(['step_index', 'result']).where('id', '=', ctx.operationId).executeTakeFirstOrThrow();
  const cluster = await db.selectFrom('clusters').select('spec').where('id', '=', ctx.cluster.id).executeTakeFirstOrThrow();
  let spec = { ...(cluster.spec as ClusterSpec), target: targetRef(ctx.target) };
  const plan: UpgradePlan =
    input.plan ?? (op.result as Partial<UpgradeProgress> | null)?.plan ?? planUpgrade(spec, input.toVersion, currentVersionRules(), addonRequirementsFor(spec.target.cloud));
  const total = plan.steps.length;
  const progress = (completedSteps: number): UpgradeProgress => ({ toVersion: input.toVersion, plan, completedSteps, ...(input.campaignId ? { campaignId: input.campaignId } : {}) });
  const start = Math.max(input.resumeFrom ?? 0, op.step_index ?? 0);
  if (start > 0) ctx.note(`resuming the upgrade to ${input.toVersion} at step ${Math.min(start + 1, total)}/${total}; steps 1–${start} are done`);

  let outputs: StackOutputs | undefined;
  for (let i = start; i < total; i++) {
    const step = plan.steps[i]!;
    await ctx.writes.progress({ stepIndex: i, result: progress(i) });
    if (isUpgradeStepDone(spec, step)) {
      ctx.note(`step ${i + 1}/${total}: ${describeUpgradeStep(step)} (already done)`);
      continue;
    }
    ctx.note(`step ${i + 1}/${total}: ${describeUpgradeStep(step)}`);
    await ctx.writes.progress({ step: `step ${i + 1}/${total}: ${describeUpgradeStep(step)}` });
    const next = applyUpgradeStep(spec, step);
    try {
      ({ outputs } = await ctx.engine.up(ctx.stackFor(next), runOptions(ctx)));
    } catch (err) {
      throw stepFailed(err, i, total, step);
    }
    spec = next;
    await ctx.writes.saveClusterSpec(spec);
  }
  await ctx.writes.progress({ stepIndex: total, result: progress(total) });
  ctx.note(`upgraded to ${spec.kubernetesVersion} in ${total} step(s)`);
  return { result: progress(total), spec, ...(outputs ? { outputs } : {}) };
};
