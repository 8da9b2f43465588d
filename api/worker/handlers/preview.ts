/**
 * The `preview` (plan) handler: what an update would change, changing nothing — including the
 * removal of blue-green pool generations whose rollback window closed, which the update would do.
 */
import { pruneStandbys } from '../../../platform/blue-green-plan.ts';
import { clockOf } from '../../clock.ts';
import { previewRunOptions, type Handler } from './contract.ts';

export const previewHandler: Handler = async (ctx) => {
  const pruned = pruneStandbys(ctx.spec, clockOf(ctx.services)());
  const { changes, steps } = await ctx.engine.preview(pruned === ctx.spec ? ctx.stack : ctx.stackFor(pruned), previewRunOptions(ctx));
  return { result: { changes, steps: steps.map((s) => ({ op: s.op, resource: s.resource, resourceType: s.resourceType, diffs: s.diffs ?? [] })) } };
};
