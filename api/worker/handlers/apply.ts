/**
 * The `create` and `update` handlers: one engine `up` of the spec the operation applies. A create
 * first runs the target check (settings, credentials, provider plugins, whether the worker reaches
 * the planned API endpoint) and fails at once with its failures and fixes, instead of an engine
 * error minutes into the run. An apply also removes the previous generations of blue-green pools
 * whose rollback window closed (platform/blue-green-plan.ts `pruneStandbys`). An `update` that
 * hibernates or wakes a cluster runs the cloud's power steps (platform/cloud-hibernation.ts
 * `powerSteps`): on AKS hibernating stops the managed cluster instead of applying, and waking
 * starts it before the apply; elsewhere both are the apply alone.
 */
import { pruneStandbys } from '../../../platform/blue-green-plan.ts';
import { powerSteps } from '../../../platform/cloud-hibernation.ts';
import type { Cloud } from '../../../platform/cluster-spec.ts';
import { clockOf } from '../../clock.ts';
import { targetCheckError } from '../../targets/target-check.ts';
import { runOptions, type Handler, type HandlerResult } from './contract.ts';
import { setControlPlanePower } from './control-plane-steps.ts';

export const applyHandler: Handler = async (ctx) => {
  const pruned = pruneStandbys(ctx.spec, clockOf(ctx.services)());
  if (pruned === ctx.spec) {
    const { changes, outputs } = await ctx.engine.up(ctx.stack, runOptions(ctx));
    return { result: { changes }, outputs };
  }
  const gone = ctx.spec.nodePools.filter((p) => p.standby && !pruned.nodePools.find((q) => q.name === p.name)?.standby).map((p) => p.name);
  ctx.note(`removing the previous generation of node pool(s) ${gone.join(', ')}: the rollback window closed`);
  const { changes, outputs } = await ctx.engine.up(ctx.stackFor(pruned), runOptions(ctx));
  return { result: { changes }, outputs, spec: pruned };
};

export const createHandler: Handler = async (ctx) => {
  const check = await ctx.checkTarget();
  if (!check.ok) throw targetCheckError(check);
  return applyHandler(ctx);
};

export const updateHandler: Handler = async (ctx) => {
  const action = ctx.input['hibernate'] === true ? 'hibernate' : ctx.input['wake'] === true ? 'wake' : undefined;
  if (action === undefined) return applyHandler(ctx);
  let result: HandlerResult = {};
  for (const step of powerSteps(ctx.target.cloud as Cloud, action)) {
    if (step === 'apply') result = await applyHandler(ctx);
    else if (step === 'stop-control-plane') {
      await setControlPlanePower(ctx, 'Stopped', 'to hibernate it: no compute is charged while it is stopped');
      result = { result: { changes: {}, controlPlane: 'stopped' } };
    } else await setControlPlanePower(ctx, 'Running', 'to wake it: a stopped AKS cluster accepts no update');
  }
  return result;
};
