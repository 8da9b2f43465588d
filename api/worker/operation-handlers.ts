/** One handler per operation kind, each given its dependencies (no singletons). */
import type { ClusterSpec } from '../../platform/cluster-spec.ts';
import type { OperationKind } from '../../platform/cluster-lifecycle.ts';
import type { Engine, StackOutputs, StackTarget } from '../../stacks/engine/engine.ts';
import { orderedDeleteHandler } from './ordered-delete.ts';
import { upgradeHandler } from './upgrade-handler.ts';
import type { Services } from '../context.ts';
import type { ClusterRow, TargetRow } from '../db/schema.ts';
import type { OperationEvent } from '../operations/operation-events.ts';

export interface HandlerContext {
  services: Services;
  operationId: string;
  engine: Engine;
  stack: StackTarget;
  cluster: ClusterRow;
  target: TargetRow;
  /** The spec this operation applies. */
  spec: ClusterSpec;
  signal: AbortSignal;
  /** The operation's input (e.g. `approve` for a reconcile). */
  input: Record<string, unknown>;
  onEvent: (event: OperationEvent) => void;
  note: (message: string, severity?: string) => void;
}

export interface HandlerResult {
  result?: unknown;
  error?: string;
  outputs?: StackOutputs;
  /** New drift record for the cluster (null clears it). */
  drift?: unknown;
  /** A note for the cluster's status line (e.g. "deleted with leaks"). */
  statusReason?: string;
  /** The spec the cluster has now, when the handler changed it step by step (upgrades). */
  spec?: ClusterSpec;
}

type Handler = (ctx: HandlerContext) => Promise<HandlerResult>;

const DESTRUCTIVE_OPS = new Set(['delete', 'replace', 'create-replacement', 'delete-replaced']);

const run = (ctx: HandlerContext) => ({ onEvent: ctx.onEvent, signal: ctx.signal });

const apply: Handler = async (ctx) => {
  const { changes, outputs } = await ctx.engine.up(ctx.stack, run(ctx));
  return { result: { changes }, outputs };
};

export const OPERATION_HANDLERS: Record<OperationKind | 'preview', Handler> = {
  create: apply,
  update: apply,
  upgrade: upgradeHandler,

  /**
   * Re-applies the declared spec over what the cloud has. When that would delete or replace
   * resources, it applies nothing unless the request carried `approve`, and says what it would do.
   */
  async reconcile(ctx) {
    const plan = await ctx.engine.preview(ctx.stack, run(ctx), { refresh: true });
    const destructive = plan.steps.filter((s) => s.op && DESTRUCTIVE_OPS.has(s.op)).map((s) => `${s.op} ${s.resource}`);
    if (destructive.length > 0 && !ctx.input.approve) {
      ctx.note(`reconcile needs approval: it would ${destructive.join(', ')}; nothing was changed. Re-run with --approve to apply.`, 'warning');
      return { result: { applied: false, needsApproval: true, destructive } };
    }
    const { changes, outputs } = await ctx.engine.up(ctx.stack, run(ctx), { refresh: true });
    return { result: { applied: true, changes }, outputs, drift: null };
  },

  async refresh(ctx) {
    const { drift } = await ctx.engine.refresh(ctx.stack, { previewOnly: true }, run(ctx));
    const record = { checkedAt: new Date().toISOString(), drifted: drift.length > 0, resources: drift };
    ctx.note(drift.length ? `drift found in ${drift.length} resource(s): ${drift.map((d) => `${d.resource} (${d.fields.join(', ') || d.op})`).join('; ')}` : 'no drift: the cloud matches the recorded state');
    return { result: record, drift: record };
  },

  async preview(ctx) {
    const { changes, steps } = await ctx.engine.preview(ctx.stack, run(ctx));
    return { result: { changes, steps: steps.map((s) => ({ op: s.op, resource: s.resource, resourceType: s.resourceType, diffs: s.diffs ?? [] })) } };
  },

  delete: orderedDeleteHandler,
};
