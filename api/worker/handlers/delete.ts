/**
 * The `delete` handler: an ordered teardown (platform/deletion-order.ts). Each stage is a targeted
 * destroy of what that stage owns in the stack's state: the addons whose controllers created
 * cloud resources, the other addons, the node pools, then everything left (the cluster), then
 * the stack itself. Each stage is recorded as a message event. Afterwards the leak check lists
 * cloud resources still tagged with the cluster id, or says why it could not look.
 *
 * The stage reached is recorded (`operations.step_index`) before each stage runs, and a later run
 * of the same operation (a retry, or another worker after this one was killed) resumes there, as
 * an upgrade resumes from its step: a run interrupted after the stack stage removed the stack
 * finds its own removal done instead of an applied stack "missing from the backend". Every stage
 * is idempotent, so re-running the one that was interrupted is safe.
 *
 * A hibernated AKS cluster is stopped (platform/cloud-hibernation.ts): it is started first, since
 * the addon stages uninstall through its Kubernetes API server, which is down while it is stopped.
 */
import { controlPlaneStopped } from '../../../platform/cloud-hibernation.ts';
import type { Cloud } from '../../../platform/cluster-spec.ts';
import { DELETION_STAGES } from '../../../platform/deletion-order.ts';
import { deletionTargets } from '../../../stacks/deletion-targets.ts';
import { urnName as nameOf } from '../../../stacks/engine/urn.ts';
import { findLeaks, leakOutcome } from '../leak-check.ts';
import { runOptions, type Handler } from './contract.ts';
import { setControlPlanePower } from './control-plane-steps.ts';


function addChanges(total: Record<string, number>, changes: Record<string, number>): void {
  for (const [op, n] of Object.entries(changes)) total[op] = (total[op] ?? 0) + n;
}

export const deleteHandler: Handler = async (ctx) => {
  const run = runOptions(ctx);
  const changes: Record<string, number> = {};
  const stages: { stage: string; removed: string[] }[] = [];
  // read fresh: an earlier run of this operation may have finished stages already
  const start = Math.min((await ctx.writes.stepReached()) ?? 0, DELETION_STAGES.length - 1);
  if (start === 0 && controlPlaneStopped(ctx.target.cloud as Cloud, ctx.cluster.hibernated_sizes !== null)) {
    await setControlPlanePower(ctx, 'Running', 'to delete it: its addons are removed through its API server first');
  }
  if (start > 0) ctx.note(`resuming the delete at stage ${start + 1}/${DELETION_STAGES.length} (${DELETION_STAGES[start]!.kind}); stages 1–${start} are done`);
  for (const [i, stage] of DELETION_STAGES.entries()) {
    if (i < start) continue;
    await ctx.writes.progress({ stepIndex: i });
    const label = `stage ${i + 1}/${DELETION_STAGES.length} (${stage.kind}): ${stage.description}`;
    if (stage.kind === 'stack') {
      ctx.note(label);
      await ctx.engine.remove(ctx.stack.stackName);
      stages.push({ stage: stage.kind, removed: [ctx.stack.stackName] });
      continue;
    }
    if (stage.kind === 'cluster') {
      const left = (await ctx.engine.resources(ctx.stack)).filter((r) => !r.type.startsWith('pulumi:'));
      ctx.note(`${label}: ${left.map((r) => nameOf(r.urn)).join(', ') || 'nothing left'}`);
      addChanges(changes, (await ctx.engine.destroy(ctx.stack, { remove: false }, run)).changes);
      stages.push({ stage: stage.kind, removed: left.map((r) => nameOf(r.urn)) });
      continue;
    }
    const targets = deletionTargets(stage, await ctx.engine.resources(ctx.stack));
    const names = targets.map(nameOf).sort();
    ctx.note(`${label}: ${names.join(', ') || 'nothing to remove'}`);
    stages.push({ stage: stage.kind, removed: names });
    if (targets.length > 0) addChanges(changes, (await ctx.engine.destroy(ctx.stack, { remove: false, targets }, run)).changes);
  }
  const outcome = leakOutcome(await findLeaks(ctx.services.config, ctx.target, ctx.cluster.id));
  if (outcome.note) ctx.note(outcome.note, 'warning');
  return { result: { changes, stages, ...outcome.result }, ...(outcome.statusReason ? { statusReason: outcome.statusReason } : {}) };
};
