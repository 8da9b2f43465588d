/**
 * Runs one operation: takes it for a new attempt (a fencing token, attempt-lease.ts), drives the
 * engine with the operation kind's handler (handlers/registry.ts), streams bounded events, stores
 * outputs or the error, and writes the cluster state `stateAfter` decides.
 * Which failures retry is decided in one table, `RETRY_POLICY` (retry-policy.ts).
 */
import type { ClusterSpec } from '../../platform/cluster-spec.ts';
import { appliesSpec, stateAfter, statusWhileRunning, type ClusterState, type ClusterStatus, type OperationKind, type OperationOutcome } from '../../platform/cluster-lifecycle.ts';
import { EngineError } from '../../stacks/engine/engine-error.ts';
import type { StackOutputs } from '../../stacks/engine/engine.ts';
import { clusterStateOf } from '../clusters/start-operation.ts';
import type { Services } from '../context.ts';
import { isDatabaseUnavailable, retryWhileUnavailable } from '../db/connection-errors.ts';
import type { ClusterRow, OperationRow, Tx } from '../db/schema.ts';
import { AttemptLease, fencedEngine, LeaseLost, takeOperation } from './attempt-lease.ts';
import { EventWriter, type OperationEvent } from '../operations/operation-events.ts';
import { publishDriftEvent, publishOperationEvent, type OperationEventFacts } from '../events/operation-event.ts';
import type { HandlerResult, OperationWrites, StackEngine, TargetPreflight } from './handlers/contract.ts';
import { checkTarget, configuredCheckDeps } from '../targets/target-check.ts';
import { OPERATION_HANDLERS } from './handlers/registry.ts';
import { clusterProgramTarget } from '../targets/target-program.ts';
import { failureCause, guardProgram, programErrors } from './program-errors.ts';
import { isRetryable } from './retry-policy.ts';
import { heartbeatAttempt } from './state-lock-owner.ts';

export interface RunSettings {
  /** Attempts after the first for retryable failures. */
  retries: number;
  /** Base backoff in ms; doubles each attempt. */
  backoffMs: number;
}

/** Non-secret outputs, for the cluster row; secret ones become a marker. */
function publicOutputs(outputs: StackOutputs): Record<string, unknown> {
  return Object.fromEntries(Object.entries(outputs).map(([k, o]) => [k, o.secret ? '[secret]' : o.value]));
}

function describe(err: unknown): string {
  if (err instanceof EngineError) return err.hint ? `${err.message} (${err.hint})` : err.message;
  return err instanceof Error ? err.message : String(err);
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
  });

/**
 * Executes operation `operationId`. Returns 'interrupted' when `signal` aborted it because the
 * worker is shutting down (the operation is queued again for another worker), and 'superseded'
 * when a newer attempt took the operation over (this attempt then wrote nothing and stopped).
 * Rejects with the database error when the database became unavailable mid-attempt: the operation
 * stays running, and the job's retry resumes it (api/worker/worker.ts lets pg-boss retry it).
 */
export async function runOperation(
  services: Services,
  operationId: string,
  settings: RunSettings,
  signal: AbortSignal,
  engine: StackEngine = services.engine,
  preflight: TargetPreflight = (target, spec, label) => checkTarget(target, configuredCheckDeps(services.config), [{ label, spec }]),
): Promise<'done' | 'interrupted' | 'superseded'> {
  const { db, logger } = services;
  const op = await db.selectFrom('operations').selectAll().where('id', '=', operationId).executeTakeFirst();
  if (!op || op.status === 'succeeded' || op.status === 'needs_approval' || op.status === 'failed' || op.status === 'cancelled') return 'done';
  const cluster = await db.selectFrom('clusters').selectAll().where('id', '=', op.cluster_id).executeTakeFirstOrThrow();
  const target = await db.selectFrom('targets').selectAll().where('id', '=', cluster.target_id).executeTakeFirstOrThrow();
  const kind = op.kind as OperationKind | 'preview';

  const taken = await db.transaction().execute(async (tx) => {
    const took = await takeOperation(tx, op);
    if (took && kind !== 'preview') await took.lease.updateCluster(tx, { status: statusWhileRunning(kind), updated_at: new Date() });
    if (took) await publishOperationEvent(tx, 'running', { operation: { id: op.id, kind, actor: op.actor, attempt: took.lease.attempt }, cluster });
    return took;
  });
  if (!taken) return 'done';
  const { lease } = taken;
  // the attempt's heartbeat: whether the stack locks it takes have a live owner (state-lock-owner.ts)
  const heartbeat = heartbeatAttempt(db, op.id, lease.attempt);
  const startedAt = taken.row.started_at ?? new Date();
  if (lease.attempt === 1) services.metrics?.queueWait.observe({ kind }, Math.max(0, (startedAt.getTime() - op.created_at.getTime()) / 1000));
  const observeOutcome = (outcome: string) => services.metrics?.operationDuration.observe({ kind, outcome }, Math.max(0, (Date.now() - startedAt.getTime()) / 1000));
  // fenced by the attempt's token: events still buffered when the lease is lost are never written
  const events = new EventWriter(db, op.id, 250, (err) => logger.warn({ operationId: op.id, err: String(err) }, 'operation events could not be written; a gap marker follows once the database answers'), lease.attempt);
  // once the lease is lost, the attempt adds nothing more, not even events
  const push = (event: OperationEvent) => (lease.lost ? undefined : events.push(event));
  const note = (message: string, severity = 'info') => push({ kind: 'message', message, severity });
  if (lease.attempt > 1) note(`resuming after an interruption (attempt ${lease.attempt})`, 'warning');
  if (target.cloud === 'sim') note('target is the simulated sim cloud: no real cloud resources are created');

  const spec = ((op.input as { spec?: ClusterSpec }).spec ?? cluster.spec) as ClusterSpec;
  // once a cluster was applied (its outputs are recorded) its stack must be in this backend
  const expectState = Object.keys(cluster.outputs ?? {}).length > 0;
  const stackFor = (applied: ClusterSpec) => guardProgram({ ...clusterProgramTarget(services.config, cluster, target, applied, op.input as Record<string, unknown>), expectState });
  const writes: OperationWrites = {
    async progress({ step, stepIndex, result }) {
      await lease.updateOperation(db, { ...(step !== undefined ? { step } : {}), ...(stepIndex !== undefined ? { step_index: stepIndex } : {}), ...(result !== undefined ? { result: JSON.stringify(result) } : {}) });
    },
    async stepReached() {
      const row = await db.selectFrom('operations').select('step_index').where('id', '=', op.id).executeTakeFirstOrThrow();
      return row.step_index;
    },
    async saveClusterSpec(saved) {
      const row = await db.selectFrom('clusters').select('overrides').where('id', '=', cluster.id).executeTakeFirstOrThrow();
      const overrides = 'kubernetesVersion' in row.overrides ? { ...row.overrides, kubernetesVersion: saved.kubernetesVersion } : row.overrides;
      await lease.updateCluster(db, { spec: JSON.stringify(saved), kubernetes_version: saved.kubernetesVersion, overrides: JSON.stringify(overrides), updated_at: new Date() });
    },
  };
  const onEvent = (event: OperationEvent) => {
    push(event);
    if (event.kind === 'step-started' && event.resource) void lease.updateOperation(db, { step: `${event.op} ${event.resource}` }).catch(() => undefined);
  };
  const guarded = fencedEngine(programErrors(engine), lease, db);

  // the outcome's transaction rolls back whole when the connection dies, and it is fenced by the
  // lease, so writing it again after a database hiccup is safe
  const settle = (write: () => Promise<void>) =>
    retryWhileUnavailable(write, { onRetry: (err, n) => logger.warn({ operationId: op.id, attempt: n, err: String(err) }, 'database unavailable while recording the outcome; retrying') });

  let attempt = 0;
  try {
    for (;;) {
      try {
        // inside the try: a target whose settings cannot run fails the operation, before the engine
        const stack = stackFor(spec);
        const result = await OPERATION_HANDLERS[kind]({ services, operationId: op.id, engine: guarded, stack, stackFor, cluster, target, spec, signal, input: op.input, writes, onEvent, note, checkTarget: () => preflight(target, spec, `cluster ${cluster.name}`) });
        await events.flush();
        const outcome = result.outcome ?? 'succeeded';
        await settle(() => finish(services, lease, op, cluster, kind, outcome, result, spec));
        observeOutcome(outcome);
        return 'done';
      } catch (err) {
        if (err instanceof LeaseLost || lease.lost) throw err;
        // a database hiccup is no verdict on the operation: this attempt stops with the operation
        // still running, and the job's retry (pg-boss) resumes it as a new attempt
        if (isDatabaseUnavailable(err)) {
          logger.warn({ operationId: op.id, kind, attempt: lease.attempt, err: String(err) }, 'database unavailable during the attempt; the operation resumes with the next attempt');
          throw err;
        }
        if (signal.aborted) {
          note('interrupted: the worker is shutting down; the operation will resume on another worker', 'warning');
          await events.flush();
          await db.transaction().execute(async (tx) => {
            await lease.updateOperation(tx, { status: 'queued', step: 'interrupted' });
            await publishOperationEvent(tx, 'queued', { operation: { id: op.id, kind, actor: op.actor, attempt: lease.attempt, reason: 'interrupted: the worker is shutting down' }, cluster });
          });
          return 'interrupted';
        }
        if (isRetryable(err) && attempt < settings.retries) {
          const delay = settings.backoffMs * 2 ** attempt;
          attempt += 1;
          note(`attempt ${attempt} failed: ${failureCause(err)}; retrying in ${Math.round(delay / 1000)} s`, 'warning');
          note(`engine output of attempt ${attempt}: ${describe(err)}`, 'detail');
          await sleep(delay, signal);
          continue;
        }
        logger.warn({ operationId: op.id, kind, err: describe(err) }, 'operation failed');
        // the one-line cause is the operation's error; the engine's full text stays in the events
        const cause = failureCause(err);
        note(`failed: ${cause}`, 'error');
        note(`engine output: ${describe(err)}`, 'detail');
        await events.flush();
        await settle(() => finish(services, lease, op, cluster, kind, 'failed', { error: cause }, spec));
        observeOutcome('failed');
        return 'done';
      }
    }
  } catch (err) {
    if (!(err instanceof LeaseLost)) throw err;
    logger.warn({ operationId: op.id, kind, attempt: lease.attempt }, 'operation superseded by a newer attempt; this attempt stopped without writing');
    return 'superseded';
  } finally {
    await heartbeat.stop();
  }
}

/** The state `op` started from, as recorded when it was created (a hand-inserted row: the cluster's). */
function startedFrom(op: OperationRow, cluster: ClusterRow): ClusterState {
  if (op.from_status === null) return clusterStateOf(cluster);
  const status = op.from_status as ClusterStatus;
  return op.from_failure ? { status, failure: { operation: op.from_failure.operation as OperationKind, reason: op.from_failure.reason } } : { status };
}

/**
 * Stores the outcome and writes the cluster state `stateAfter` decides (platform/cluster-lifecycle.ts),
 * from the state the operation started in, in one transaction.
 */
async function finish(services: Services, lease: AttemptLease, op: OperationRow, cluster: ClusterRow, kind: OperationKind | 'preview', outcome: OperationOutcome, result: HandlerResult, appliedSpec: ClusterSpec): Promise<void> {
  await services.db.transaction().execute(async (tx) => {
    const now = new Date();
    // hold the operation row: no takeover can commit between the cluster write and the operation's
    await lease.lock(tx);
    if (kind !== 'preview') await writeClusterState(tx, lease, op, cluster, kind, outcome, result, appliedSpec, now);
    // a failure without a result keeps the progress the handler recorded (e.g. upgrade steps)
    await lease.updateOperation(tx, { status: outcome, finished_at: now, step: null, error: result.error ?? null, ...(result.result !== undefined || outcome === 'succeeded' ? { result: JSON.stringify(result.result ?? null) } : {}) });
    const facts: OperationEventFacts = { operation: { id: op.id, kind, actor: op.actor, attempt: lease.attempt, error: result.error ?? null }, cluster };
    await publishOperationEvent(tx, outcome, facts);
    const drift = kind === 'refresh' && outcome === 'succeeded' ? (result.drift as { drifted?: boolean; checkedAt: string; resources: unknown[] } | null | undefined) : undefined;
    if (drift?.drifted) await publishDriftEvent(tx, facts, drift);
  });
}

/** Writes what `stateAfter` decides, plus what the operation produced, fenced by `lease`. */
async function writeClusterState(tx: Tx, lease: AttemptLease, op: OperationRow, cluster: ClusterRow, kind: OperationKind, outcome: OperationOutcome, result: HandlerResult, appliedSpec: ClusterSpec, now: Date): Promise<void> {
  const spec = result.spec ?? appliedSpec;
  const state = stateAfter(kind, outcome, startedFrom(op, cluster), result.error, result.statusReason);
  const applied = outcome === 'succeeded' && appliesSpec(kind);
  await lease.updateCluster(tx, {
    status: state.status,
    status_reason: state.failure?.reason ?? state.note ?? null,
    failed_operation: state.failure?.operation ?? null,
    updated_at: now,
    ...(result.outputs ? { outputs: JSON.stringify(publicOutputs(result.outputs)) } : {}),
    ...(result.drift !== undefined ? { drift: JSON.stringify(result.drift) } : {}),
    ...(applied
      ? { spec: JSON.stringify(spec), kubernetes_version: spec.kubernetesVersion, node_count: spec.nodePools.reduce((n, p) => n + p.desiredSize, 0), ...(op.input.overrides ? { overrides: JSON.stringify(op.input.overrides) } : {}) }
      : {}),
    ...(state.status === 'deleted' ? { deleted_at: now } : {}),
  });
}
