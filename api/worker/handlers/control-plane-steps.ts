/**
 * Stopping and starting a cluster's control plane from a handler (platform/cloud-hibernation.ts
 * decides when): each step reads the cloud's power state first, so a retried or resumed operation
 * never stops a stopped cluster or starts a running one.
 */
import type { Cloud } from '../../../platform/cluster-spec.ts';
import { controlPlanePowerOf } from '../power/control-plane-power-for.ts';
import type { HandlerContext } from './contract.ts';

/** Brings the cluster's control plane to `want` (`Stopped` or `Running`), noting what it does; returns whether it had to. */
export async function setControlPlanePower(ctx: HandlerContext, want: 'Stopped' | 'Running', why: string): Promise<boolean> {
  const power = controlPlanePowerOf(ctx.services, { cloud: ctx.target.cloud as Cloud, account: ctx.target.account }, () => ctx.services.engine.outputs(ctx.stack));
  const now = await power.state(ctx.signal);
  if (now === want) {
    ctx.note(`the cluster is already ${want.toLowerCase()}`);
    return false;
  }
  const verb = want === 'Stopped' ? 'stopping' : 'starting';
  const message = `${verb} the AKS cluster (control plane and node pools) ${why}`;
  ctx.note(message);
  await ctx.writes.progress({ step: message });
  await (want === 'Stopped' ? power.stop(ctx.signal) : power.start(ctx.signal));
  ctx.note(`the AKS cluster is ${want.toLowerCase()}`);
  return true;
}
