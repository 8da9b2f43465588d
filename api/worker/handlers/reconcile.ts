/**
 * The `reconcile` handler: re-applies the declared spec over what the cloud has. When that would
 * delete or replace resources and the cluster's approval policy (target, template) names `reconcile`, it applies
 * nothing, opens an approval request for exactly those changes, and says what it would do. A run
 * started by an approved request goes on only when the changes it finds now are the approved
 * ones (same plan hash); otherwise that approval is superseded and a new request opened.
 */
import { approvalRuleFor } from '../../../platform/approval-policy.ts';
import { policyOfCluster } from '../../approvals/approval-policy-of.ts';
import { openApprovalRequest, supersede } from '../../approvals/open-request.ts';
import { planHash } from '../../approvals/plan-hash.ts';
import { previewRunOptions, runOptions, type Handler, type HandlerContext } from './contract.ts';

const DESTRUCTIVE_OPS = new Set(['delete', 'replace', 'create-replacement', 'delete-replaced']);
/** The steps Pulumi takes to carry out one replace: the replace itself names it. */
const REPLACE_PARTS = new Set(['create-replacement', 'delete-replaced']);

/** Whether the run carries an approval of exactly `plan`; an approval of another plan is superseded. */
async function approvedFor(ctx: HandlerContext, plan: Record<string, unknown>): Promise<{ ok: boolean; requester?: string }> {
  const id = ctx.input.approval;
  if (typeof id !== 'string') return { ok: false };
  const db = ctx.services.db;
  const req = await db.selectFrom('approval_requests').selectAll().where('id', '=', id).where('cluster_id', '=', ctx.cluster.id).executeTakeFirst();
  if (!req) return { ok: false };
  if (req.status === 'approved' && req.plan_hash === planHash(plan)) return { ok: true };
  await db.transaction().execute((tx) => supersede(tx, req, 'the reconcile found other changes than the approved ones'));
  ctx.note(`the approved changes (request ${req.id}) are not what the reconcile would do now; a new approval is needed`, 'warning');
  return { ok: false, requester: req.requester };
}

export const reconcileHandler: Handler = async (ctx) => {
  const plan = await ctx.engine.preview(ctx.stack, previewRunOptions(ctx), { refresh: true });
  const replaced = new Set(plan.steps.filter((s) => s.op === 'replace').map((s) => s.resource));
  const destructive = [...new Set(plan.steps.filter((s) => s.op && DESTRUCTIVE_OPS.has(s.op) && !(REPLACE_PARTS.has(s.op) && replaced.has(s.resource))).map((s) => `${REPLACE_PARTS.has(s.op!) ? 'replace' : s.op} ${s.resource}`))];
  const rule = approvalRuleFor(await policyOfCluster(ctx.services.db, ctx.cluster), 'reconcile');
  if (destructive.length > 0 && rule) {
    const approvalPlan = { clusterId: ctx.cluster.id, destructive: [...destructive].sort() };
    const approved = await approvedFor(ctx, approvalPlan);
    if (!approved.ok) {
      const op = await ctx.services.db.selectFrom('operations').select('actor').where('id', '=', ctx.operationId).executeTakeFirstOrThrow();
      const request = await ctx.services.db.transaction().execute((tx) =>
        openApprovalRequest(tx, { action: 'reconcile', cluster: ctx.cluster, requester: approved.requester ?? op.actor, rule, plan: approvalPlan, operationId: ctx.operationId, ttlHours: ctx.services.config.approvalTtlHours, requestId: `operation-${ctx.operationId}` }),
      );
      ctx.note(`reconcile needs approval: it would ${destructive.join(', ')}; nothing was changed. Approval request ${request.id}: kaas approvals approve ${request.id} (by someone other than the requester).`, 'warning');
      return { outcome: 'needs_approval', result: { applied: false, needsApproval: true, destructive, approval: request.id } };
    }
    ctx.note(`applying the approved changes (request ${String(ctx.input.approval)}): ${destructive.join(', ')}`);
  }
  const { changes, outputs } = await ctx.engine.up(ctx.stack, runOptions(ctx), { refresh: true });
  return { result: { applied: true, changes }, outputs, drift: null };
};
