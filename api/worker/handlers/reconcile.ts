/**
 * The `reconcile` handler: re-applies the declared spec over what the cloud has. When that would
 * delete or replace resources, it applies nothing unless the request carried `approve`, and says
 * what it would do.
 */
import { runOptions, type Handler } from './contract.ts';

const DESTRUCTIVE_OPS = new Set(['delete', 'replace', 'create-replacement', 'delete-replaced']);

export const reconcileHandler: Handler = async (ctx) => {
  const plan = await ctx.engine.preview(ctx.stack, runOptions(ctx), { refresh: true });
  const destructive = plan.steps.filter((s) => s.op && DESTRUCTIVE_OPS.has(s.op)).map((s) => `${s.op} ${s.resource}`);
  if (destructive.length > 0 && !ctx.input.approve) {
    ctx.note(`reconcile needs approval: it would ${destructive.join(', ')}; nothing was changed. Re-run with --approve to apply.`, 'warning');
    return { result: { applied: false, needsApproval: true, destructive } };
  }
  const { changes, outputs } = await ctx.engine.up(ctx.stack, runOptions(ctx), { refresh: true });
  return { result: { applied: true, changes }, outputs, drift: null };
};
