/** The `preview` (plan) handler: what an update would change, changing nothing. */
import { previewRunOptions, type Handler } from './contract.ts';

export const previewHandler: Handler = async (ctx) => {
  const { changes, steps } = await ctx.engine.preview(ctx.stack, previewRunOptions(ctx));
  return { result: { changes, steps: steps.map((s) => ({ op: s.op, resource: s.resource, resourceType: s.resourceType, diffs: s.diffs ?? [] })) } };
};
