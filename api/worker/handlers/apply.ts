/**
 * The `create` and `update` handlers: one engine `up` of the spec the operation applies. A create
 * first runs the target check (settings, credentials, provider plugins, whether the worker reaches
 * the planned API endpoint) and fails at once with its failures and fixes, instead of an engine
 * error minutes into the run.
 */
import { targetCheckError } from '../../targets/target-check.ts';
import { runOptions, type Handler } from './contract.ts';

export const applyHandler: Handler = async (ctx) => {
  const { changes, outputs } = await ctx.engine.up(ctx.stack, runOptions(ctx));
  return { result: { changes }, outputs };
};

export const createHandler: Handler = async (ctx) => {
  const check = await ctx.checkTarget();
  if (!check.ok) throw targetCheckError(check);
  return applyHandler(ctx);
};
