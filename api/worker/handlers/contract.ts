/**
 * The contract between `runOperation` and the operation handlers, in its own file so the registry
 * and its members never import each other (graphile-worker's `interfaces.ts`). Handlers get the
 * narrow `StackEngine` they use instead of the concrete engine class, the way kysely's Postgres
 * dialect declares the `PostgresPool` subset of pg it needs
 * (kysely src/dialect/postgres/postgres-dialect-config.ts).
 */
import type { ClusterSpec } from '../../../platform/cluster-spec.ts';
import type { ChangeSummary, DriftItem, Engine, RunOptions, StackOutputs, StackResource, StackTarget } from '../../../stacks/engine/engine.ts';
import type { ProgressEvent } from '../../../stacks/engine/progress.ts';
import type { Services } from '../../context.ts';
import type { ClusterRow, TargetRow } from '../../db/schema.ts';
import type { OperationEvent } from '../../operations/operation-events.ts';
import type { TargetCheck } from '../../targets/target-check.ts';

/**
 * The target check the worker runs before a create (`checkTarget` of api/targets/target-check.ts
 * with the worker's environment, for the spec about to be created); injectable so a test decides
 * its verdict without credentials or a Pulumi CLI.
 */
export type TargetPreflight = (target: TargetRow, spec: ClusterSpec, label: string) => Promise<TargetCheck>;

/** The engine methods the handlers use (the subset of `Engine`). */
export interface StackEngine {
  up(target: StackTarget, run?: RunOptions, opts?: { refresh?: boolean }): Promise<ChangeSummary & { outputs: StackOutputs }>;
  preview(target: StackTarget, run?: RunOptions, opts?: { refresh?: boolean }): Promise<ChangeSummary & { steps: ProgressEvent[] }>;
  refresh(target: StackTarget, opts: { previewOnly: boolean }, run?: RunOptions): Promise<ChangeSummary & { drift: DriftItem[] }>;
  destroy(target: StackTarget, opts: { remove: boolean; targets?: string[] }, run?: RunOptions): Promise<ChangeSummary>;
  resources(target: StackTarget): Promise<StackResource[]>;
  remove(stackName: string): Promise<void>;
}

/** Compile-time proof that the concrete engine satisfies the contract. */
type Satisfies<T extends U, U> = T;
export type EngineIsStackEngine = Satisfies<Engine, StackEngine>;

/** What a handler may record while it runs (every write fenced by the attempt that owns the operation), and the progress an earlier run recorded. */
export interface OperationWrites {
  /** Records what the operation is doing now (`step`) and, for upgrades, the plan step reached. */
  progress(values: { step?: string | null; stepIndex?: number; result?: unknown }): Promise<void>;
  /** Saves the cluster's spec (and a version override) after a completed upgrade step. */
  saveClusterSpec(spec: ClusterSpec): Promise<void>;
  /** The step an earlier run of this operation recorded (`progress({ stepIndex })`), read fresh: where a resumed run starts. */
  stepReached(): Promise<number | null>;
}

/** Everything a handler receives; no singletons. */
export interface HandlerContext {
  services: Services;
  operationId: string;
  engine: StackEngine;
  /** The engine target of the spec this operation applies. */
  stack: StackTarget;
  /** The engine target of another spec of the same cluster (upgrade steps). */
  stackFor(spec: ClusterSpec): StackTarget;
  cluster: ClusterRow;
  target: TargetRow;
  /** The spec this operation applies. */
  spec: ClusterSpec;
  signal: AbortSignal;
  /** The operation's input (e.g. `approve` for a reconcile). */
  input: Record<string, unknown>;
  writes: OperationWrites;
  onEvent: (event: OperationEvent) => void;
  note: (message: string, severity?: string) => void;
  /** Runs the target check for this operation's target and spec (before a create). */
  checkTarget: () => Promise<TargetCheck>;
}

/** What a handler produced; `runOperation` stores it and `stateAfter` decides the cluster state. */
export interface HandlerResult {
  /** How the operation ended when not `succeeded`: `needs_approval` when it stopped, changing nothing, for an approval. */
  outcome?: 'needs_approval';
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

/** Runs one operation kind. */
export type Handler = (ctx: HandlerContext) => Promise<HandlerResult>;

/** The `run` options of an engine call from a handler. */
export const runOptions = (ctx: HandlerContext): RunOptions => ({ onEvent: ctx.onEvent, signal: ctx.signal });

/** The `run` options of an engine call that changes nothing (a preview, a drift check): its events are marked `preview`, so they read as "would …". */
export const previewRunOptions = (ctx: HandlerContext): RunOptions => ({ onEvent: (event) => ctx.onEvent({ ...event, preview: true }), signal: ctx.signal });
