/**
 * The `upgrade` handler: runs an upgrade plan step by step, each step an engine `up` of the spec
 * advanced to that step (control plane one minor per step, addon bumps, node-pool rolls where the
 * skew forces them and at the end). After each step the cluster's spec and version are saved, so
 * state stays true if a later step fails; the operation records the step reached (`step_index`)
 * and a `step i/n` message per step. A failed step stops the upgrade with an error naming it; a
 * resumed upgrade skips the completed steps.
 *
 * Around the steps (platform/upgrade-preflight.ts, platform/health-gate.ts):
 * - before each hop, preflight reads the cluster (deprecated APIs removed in the next minor, PDBs
 *   that would stall a drain, surge capacity); a blocked hop is not started: the operation ends
 *   `needs_approval` with every reason, unless it runs forced with an approval of exactly those
 *   reasons (`force`, see api/clusters/upgrade-cluster.ts);
 * - after each control-plane or node-pool step, a health gate must pass within the template's
 *   timeout; a failed gate stops the upgrade (a terminal failure) naming the failing checks.
 * Preflight findings and gate results are kept in the operation's result (`UpgradeProgress`).
 * A node-pool step of a `blue-green` pool runs as its phases (blue-green-phases.ts): a new
 * generation at the new version, gated, then the old one drained and kept at zero nodes for the
 * rollback window.
 */
import { addonRequirementsFor } from '../../../platform/addon-requirements.ts';
import type { ClusterSpec } from '../../../platform/cluster-spec.ts';
import { DomainError } from '../../../platform/errors.ts';
import { expectationOf, gateFailureText, runHealthGate } from '../../../platform/health-gate.ts';
import { realGateClock } from '../health/real-gate-clock.ts';
import { planPatchUpgrade } from '../../../platform/patch-plan.ts';
import { planUpgrade, type UpgradePlan, type UpgradeStep } from '../../../platform/upgrade-plan.ts';
import { surgeDemands } from '../../../platform/surge-quota.ts';
import { preflightBlockers, preflightPoints, preflightWarnings } from '../../../platform/upgrade-preflight.ts';
import { applyUpgradeStep, describeUpgradeStep, isUpgradeStepDone } from '../../../platform/upgrade-step.ts';
import { currentVersionRules } from '../../versions/version-rules.ts';
import { EngineError, toEngineError } from '../../../stacks/engine/engine-error.ts';
import type { StackOutputs } from '../../../stacks/engine/engine.ts';
import { targetRef } from '../../clusters/create-cluster.ts';
import { parseUpgradeInput, type GateRecord, type PreflightRecord, type UpgradeProgress } from '../../clusters/upgrade-input.ts';
import { clusterProbeOf } from '../health/cluster-probe-for.ts';
import { poolDrainerFor } from '../health/pool-drainer-for.ts';
import { blueGreenUpgradePhases, isBlueGreen } from '../../../platform/blue-green-plan.ts';
import { clockOf } from '../../clock.ts';
import { runBlueGreenPhases, type PhaseRun } from './blue-green-phases.ts';
import { runOptions, type Handler } from './contract.ts';

/** The error of a failed step: same kind (so the retry policy still applies), message naming the step. */
function stepFailed(err: unknown, index: number, total: number, step: UpgradeStep): EngineError {
  const cause = toEngineError(err);
  return new EngineError(cause.kind, `step ${index + 1}/${total} (${describeUpgradeStep(step)}) failed: ${cause.message}`, cause.hint, err);
}

export const upgradeHandler: Handler = async (ctx) => {
  const { db } = ctx.services;
  const input = parseUpgradeInput(ctx.input);
  // read fresh: an earlier attempt of this operation may have completed steps already
  const op = await db.selectFrom('operations').select(['step_index', 'result']).where('id', '=', ctx.operationId).executeTakeFirstOrThrow();
  const cluster = await db.selectFrom('clusters').select('spec').where('id', '=', ctx.cluster.id).executeTakeFirstOrThrow();
  let spec = { ...(cluster.spec as ClusterSpec), target: targetRef(ctx.target) };
  const earlier = op.result as Partial<UpgradeProgress> | null;
  const plan: UpgradePlan =
    input.plan ??
    earlier?.plan ??
    (input.toRelease !== undefined ? planPatchUpgrade(spec, input.toRelease, currentVersionRules()) : planUpgrade(spec, input.toVersion, currentVersionRules(), addonRequirementsFor(spec.target.cloud)));
  const target = plan.release ?? input.toVersion;
  const total = plan.steps.length;
  const gates: GateRecord[] = [...(earlier?.gates ?? [])];
  const preflight: PreflightRecord[] = [...(earlier?.preflight ?? [])];
  const progress = (completedSteps: number, extra: Partial<UpgradeProgress> = {}): UpgradeProgress => ({
    toVersion: input.toVersion,
    ...(input.toRelease ? { toRelease: input.toRelease } : {}),
    plan,
    completedSteps,
    ...(input.campaignId ? { campaignId: input.campaignId } : {}),
    gates,
    preflight,
    ...extra,
  });
  const start = Math.max(input.resumeFrom ?? 0, op.step_index ?? 0);
  if (start > 0) ctx.note(`resuming the upgrade to ${target} at step ${Math.min(start + 1, total)}/${total}; steps 1–${start} are done`);

  let outputs: StackOutputs | undefined;
  const probe = clusterProbeOf(ctx.services, ctx.cluster, ctx.target, async () => outputs ?? (await ctx.services.engine.outputs(ctx.stack)));
  const points = new Map(preflightPoints(plan).map((p) => [p.stepIndex, p]));
  const approved = new Set(input.force?.reasons ?? []);
  const drainer = () => poolDrainerFor(ctx.services.config, ctx.cluster, ctx.target, async () => outputs ?? (await ctx.services.engine.outputs(ctx.stack)));

  /** The health gate after step `i`; throws (terminal) naming the failing checks. */
  const gateAfter = async (i: number, step: UpgradeStep) => {
    await ctx.writes.progress({ step: `step ${i + 1}/${total}: health gate` });
    const gate = await runHealthGate(probe, expectationOf(spec), spec.upgrade, { clock: realGateClock, signal: ctx.signal });
    gates.push({ afterStep: i, passed: gate.passed, elapsedMs: gate.elapsedMs, results: gate.results });
    await ctx.writes.progress({ result: progress(i) });
    if (!gate.passed) {
      throw new DomainError('PRECONDITION_FAILED', `health gate after step ${i + 1}/${total} (${describeUpgradeStep(step)}) failed: ${gateFailureText(gate)}`, {
        hint: `the step itself is applied; fix the cluster, then continue with kaas clusters upgrade ${ctx.cluster.name} --resume`,
      });
    }
    ctx.note(`health gate after step ${i + 1}/${total} passed (${gate.results.length} check(s), ${gate.elapsedMs} ms)`);
  };

  for (let i = start; i < total; i++) {
    const step = plan.steps[i]!;
    await ctx.writes.progress({ stepIndex: i, result: progress(i) });
    if (isUpgradeStepDone(spec, step)) {
      ctx.note(`step ${i + 1}/${total}: ${describeUpgradeStep(step)} (already done)`);
      // the step a resumed upgrade failed at, already applied (its gate failed): the gate must still pass
      const gateFailedHere = gates.at(-1)?.afterStep === i && !gates.at(-1)!.passed;
      if (step.kind !== 'addon' && (gateFailedHere || i === input.resumeFrom)) await gateAfter(i, step);
      continue;
    }
    const point = points.get(i);
    if (point) {
      const findings = await probe.preflight(point.nextMinor, point.pools, surgeDemands(spec, ctx.target.cloud, point.pools));
      const blockers = preflightBlockers(findings, point);
      const warnings = preflightWarnings(findings, point);
      preflight.push({ beforeStep: i, nextMinor: point.nextMinor, pools: point.pools, blockers, ...(warnings.length > 0 ? { warnings } : {}) });
      for (const w of warnings) ctx.note(`preflight before step ${i + 1}/${total} (not blocking): ${w.message}`, 'warning');
      const unapproved = blockers.filter((b) => !approved.has(b.message));
      if (unapproved.length > 0) {
        const reasons = unapproved.map((b) => `${b.check}: ${b.message}`).join('; ');
        ctx.note(`preflight blocked the hop to ${point.nextMinor} before step ${i + 1}/${total}: ${reasons}. Nothing more was changed; fix the causes and upgrade again, or approve them with --force.`, 'warning');
        return { outcome: 'needs_approval', result: progress(i, { blocked: { beforeStep: i, nextMinor: point.nextMinor, blockers: unapproved } }), spec, ...(outputs ? { outputs } : {}) };
      }
      if (blockers.length > 0) ctx.note(`preflight: proceeding past ${blockers.length} approved finding(s) (forced): ${blockers.map((b) => b.message).join('; ')}`, 'warning');
    }
    ctx.note(`step ${i + 1}/${total}: ${describeUpgradeStep(step)}`);
    await ctx.writes.progress({ step: `step ${i + 1}/${total}: ${describeUpgradeStep(step)}` });
    const pool = step.kind === 'node-pool' ? spec.nodePools.find((p) => p.name === step.pool) : undefined;
    // a patch step rolls a blue-green pool in place too: its generation keeps its minor
    if (step.kind === 'node-pool' && step.patch === undefined && pool && isBlueGreen(pool)) {
      const run: PhaseRun = { ctx, drainer: drainer(), now: clockOf(ctx.services), to: step.to, label: `step ${i + 1}/${total}`, gate: async (s) => ((spec = s), gateAfter(i, step)) };
      try {
        const done = await runBlueGreenPhases(run, spec, step.pool, blueGreenUpgradePhases(pool, spec.kubernetesVersion, step.to));
        spec = done.spec;
        outputs = done.outputs ?? outputs;
      } catch (err) {
        throw err instanceof DomainError ? err : stepFailed(err, i, total, step);
      }
      continue;
    }
    const next = applyUpgradeStep(spec, step);
    try {
      ({ outputs } = await ctx.engine.up(ctx.stackFor(next), runOptions(ctx)));
    } catch (err) {
      throw stepFailed(err, i, total, step);
    }
    spec = next;
    await ctx.writes.saveClusterSpec(spec);
    if (step.kind !== 'addon') await gateAfter(i, step);
  }
  await ctx.writes.progress({ stepIndex: total, result: progress(total) });
  ctx.note(`upgraded to ${spec.kubernetesPatch ?? spec.kubernetesVersion} in ${total} step(s)`);
  return { result: progress(total), spec, ...(outputs ? { outputs } : {}) };
};
