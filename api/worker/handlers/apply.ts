/** The `create` and `update` handler: one engine `up` of the spec the operation applies. */
import { runOptions, type Handler } from './contract.ts';

export const applyHandler: Handler = async (ctx) => {
  const { changes, outputs } = await ctx.engine.up(ctx.stack, runOptions(ctx));
  return { result: { changes }, outputs };
};
