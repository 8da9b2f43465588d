/**
 * The `reconcile` handler: re-applies the declared spec over what the cloud has. When that would
 * delete or replace resources, it applies nothing unless the request carried `approve`, and says
 * what it would do.
 */
import { previewRunOptions, runOptions, type Handler } from './contract.ts';

const DESTRUCTIVE_OPS = new Set(['delete', 'replace', 'create-replacement', 'delete-replaced']);
/** The steps Pulumi takes to carry out one replace: the replace itself names it. */
const REPLACE_PARTS = new Set(['create-replacement', 'delete-replaced']);

export const reconcileHandler: Handler = async (ctx) => {
  const plan = await ctx.engine.preview(ctx.stack, previewRunOptions(ctx), { refresh: true });
  const replaced = new Set(plan.steps.filter((s) => s.op === 'replace').map((s) => s.resource));
  const destructive = [...new Set(plan.steps.filter((s) => s.op && DESTRUCTIVE_OPS.has(s.op) && !(REPLACE_PARTS.has(s.op) && replaced.has(s.resource))).map((s) => `${REPLACE_PARTS.has(s.op!) ? 'replace' : s.op} ${s.resource}`))];
  if (destructive.length > 0 && !ctx.input.approve) {
    ctx.note(`reconcile needs approval: it would ${destructive.join(', ')}; nothing was changed. Re-run with --approve to apply.`, 'warning');
    return { outcome: 'needs_approval', result: { applied: false, needsApproval: true, destructive } };
  }
  const { changes, outputs } = await ctx.engine.up(ctx.stack, runOptions(ctx), { refresh: true });
  return { result: { applied: true, changes }, outputs, drift: null };
};
