/**
 * `clusters.upgrade`: plans a Kubernetes upgrade of one cluster (with the preflight findings read
 * now and the health gates it will run) and, unless only the plan is asked for, starts an
 * `upgrade` operation carrying it. `force` goes past the reasons the cluster's blocked upgrade
 * listed (it ended `needs_approval`): when the target's approval policy names `forced-upgrade`
 * it only opens an approval request, and the run starts once someone else approves it
 * (api/approvals/approval-actions.ts), recorded with the approvers; it stops again on any new one. An impossible plan is refused here
 * (PRECONDITION_FAILED with every reason) and nothing is queued. A cluster whose last upgrade
 * failed is resumed — with `resume`, or by asking for the same version again — from the step that
 * failed, with the plan of the failed operation.
 */
import { addonRequirementsFor } from '../../platform/addon-requirements.ts';
import type { ClusterSpec } from '../../platform/cluster-spec.ts';
import { DomainError } from '../../platform/errors.ts';
import { DEFAULT_GATE_TIMEOUT_SECONDS, gateCheckNames } from '../../platform/health-gate.ts';
import { DEFAULT_ROLLBACK_WINDOW_HOURS, isBlueGreen, keptGenerationScaleDown } from '../../platform/blue-green-plan.ts';
import { planUpgrade, type UpgradePlan } from '../../platform/upgrade-plan.ts';
import type { PreflightWarning } from '../../platform/cluster-probe.ts';
import { surgeDemands } from '../../platform/surge-quota.ts';
import { preflightBlockers, preflightPoints, preflightWarnings, type PreflightBlocker } from '../../platform/upgrade-preflight.ts';
import { clusterProgramTarget } from '../targets/target-program.ts';
import { clusterProbeOf } from '../worker/health/cluster-probe-for.ts';
import { currentVersionRules } from '../versions/version-rules.ts';
import type { Actor } from '../auth/tokens.ts';
import type { Services } from '../context.ts';
import type { ApprovalRequestRow, ClusterRow, DbOrTx, OperationRow } from '../db/schema.ts';
import { approvalRuleFor } from '../../platform/approval-policy.ts';
import { policyOfCluster } from '../approvals/approval-policy-of.ts';
import { openApprovalRequest } from '../approvals/open-request.ts';
import { startOperation } from './start-operation.ts';
import { parseUpgradeInput, type UpgradeInput, type UpgradeProgress } from './upgrade-input.ts';

export interface UpgradeRequest {
  to?: string | undefined;
  planOnly: boolean;
  resume: boolean;
  /** Approve the reasons the cluster's blocked upgrade (ended `needs_approval`) listed, and go past them. */
  force?: boolean | undefined;
}

/** What a plan shows besides its steps: preflight findings per hop and the gates after the steps. */
export interface UpgradePlanChecks {
  /** One entry per preflight point, with the blockers found now (error: the cluster could not be read). */
  preflight: { beforeStep: number; nextMinor: string; pools: string[]; blockers: PreflightBlocker[]; warnings?: PreflightWarning[] }[];
  preflightError: string | null;
  /** The checks every gate runs, and after which steps (0-based) gates run. */
  gates: { checks: string[]; afterSteps: number[]; timeoutSeconds: number };
  /** Facts the plan cannot change, said up front. */
  notes: string[];
}

export interface UpgradeResponse {
  plan: UpgradePlan;
  /** The plan step the operation starts at (0 unless resuming). */
  startAt: number;
  operation: OperationRow | undefined;
  checks: UpgradePlanChecks;
  /** Set when a forced upgrade waits for approvers (the policy asks for it); nothing was started. */
  approval?: ApprovalRequestRow | undefined;
}

/**
 * A control plane's version cannot be set lower on any of the three clouds; each has at most a
 * rollback operation of its own, which kaas does not drive (yet):
 * - EKS version rollback: the previous minor, within 7 days of an in-place upgrade
 *   (https://docs.aws.amazon.com/eks/latest/userguide/rollback-cluster.html,
 *   https://docs.aws.amazon.com/eks/latest/best-practices/rollback-cluster-upgrades.html);
 * - GKE two-step control-plane minor upgrades with rollback, from 1.33, chosen when upgrading
 *   (https://discuss.google.dev/t/introducing-two-step-control-plane-minor-upgrades-with-rollback-safety/296334);
 * - AKS: no control-plane rollback; node pool version rollback within 7 days
 *   (https://learn.microsoft.com/azure/aks/roll-back-node-pool-version).
 */
const NO_DOWNGRADE =
  "control planes cannot be downgraded on managed clouds by setting an older version (EKS, GKE and AKS accept only newer ones; EKS's 7-day version rollback and GKE's two-step minor upgrade are cloud operations kaas does not drive, AKS has none): every control-plane step is final here; node pools can be rolled again, and blue-green pools rolled back within their window";

/** How each blue-green pool of `plan` is rolled, and how long it can be rolled back. */
function blueGreenNotes(spec: ClusterSpec, plan: UpgradePlan): string[] {
  const hours = spec.upgrade?.rollbackWindowHours ?? DEFAULT_ROLLBACK_WINDOW_HOURS;
  const pools = [...new Set(plan.steps.flatMap((s) => (s.kind === 'node-pool' && spec.nodePools.some((p) => p.name === s.pool && isBlueGreen(p)) ? [s.pool] : [])))];
  return pools.map(
    (pool) =>
      `node pool ${pool} is upgraded blue-green: a new pool generation at the new version, gated, then the old one cordoned, drained (PDBs respected) and kept at zero nodes (${keptGenerationScaleDown(spec.target.cloud)}) for ${hours} h; kaas clusters rollback ${spec.name} returns to it within that window (node pools only)`,
  );
}

/** Preflight (read now, per hop) and the gates of `plan` for `row`. */
export async function planChecks(services: Services, row: ClusterRow, plan: UpgradePlan): Promise<UpgradePlanChecks> {
  const spec = row.spec as ClusterSpec;
  const target = await services.db.selectFrom('targets').selectAll().where('id', '=', row.target_id).executeTakeFirstOrThrow();
  const probe = clusterProbeOf(services, row, target, () => services.engine.outputs(clusterProgramTarget(services.config, row, target)));
  const points = preflightPoints(plan);
  let preflight: UpgradePlanChecks['preflight'] = [];
  let preflightError: string | null = null;
  try {
    const pools = spec.nodePools.map((p) => p.name);
    const findings = await probe.preflight(plan.to, pools, surgeDemands(spec, target.cloud, pools));
    preflight = points.map((p) => {
      const warnings = preflightWarnings(findings, p);
      return { beforeStep: p.stepIndex, nextMinor: p.nextMinor, pools: p.pools, blockers: preflightBlockers(findings, p), ...(warnings.length > 0 ? { warnings } : {}) };
    });
  } catch (err) {
    preflightError = `the cluster could not be read for preflight: ${err instanceof Error ? err.message : String(err)}; the upgrade reads it again before each hop`;
  }
  const afterSteps = plan.steps.flatMap((s, i) => (s.kind === 'addon' ? [] : [i]));
  return { preflight, preflightError, gates: { checks: gateCheckNames(spec.upgrade), afterSteps, timeoutSeconds: spec.upgrade?.gateTimeoutSeconds ?? DEFAULT_GATE_TIMEOUT_SECONDS }, notes: [NO_DOWNGRADE, ...blueGreenNotes(spec, plan)] };
}

/** The cluster's latest upgrade operation when it stopped `needs_approval` (preflight blocked it). */
async function blockedUpgrade(db: DbOrTx, row: ClusterRow): Promise<OperationRow | undefined> {
  const last = await db.selectFrom('operations').selectAll().where('cluster_id', '=', row.id).where('kind', '=', 'upgrade').orderBy('created_at', 'desc').limit(1).executeTakeFirst();
  return last?.status === 'needs_approval' ? last : undefined;
}

/** The failed upgrade operation a `failed` cluster can resume, if its last failure was an upgrade. */
/** The cluster's failed upgrade operation, when a failed upgrade is why it is `failed`. */
export async function failedUpgrade(services: Services, row: ClusterRow): Promise<OperationRow | undefined> {
  if (row.status !== 'failed' || row.failed_operation !== 'upgrade') return undefined;
  return services.db.selectFrom('operations').selectAll().where('cluster_id', '=', row.id).where('kind', '=', 'upgrade').where('status', '=', 'failed').orderBy('created_at', 'desc').limit(1).executeTakeFirst();
}

/** The input that resumes `failed` where it stopped. */
/** The input that continues `failed` from the step it failed at. */
export function resumeInput(failed: OperationRow): UpgradeInput {
  const original = parseUpgradeInput(failed.input);
  const plan = original.plan ?? (failed.result as Partial<UpgradeProgress> | null)?.plan;
  if (!plan) throw new DomainError('PRECONDITION_FAILED', `the failed upgrade ${failed.id} recorded no plan to resume`, { hint: 'start the upgrade again with --to' });
  return { ...original, plan, resumeFrom: failed.step_index ?? 0 };
}

/**
 * The input of a forced run: the plan to the version the cluster's blocked upgrade aimed at (or
 * `to`), going past exactly the reasons it listed. `approvedBy` is filled in by whoever approves.
 * PRECONDITION_FAILED when the cluster has no blocked upgrade.
 */
export async function forcedUpgradeInput(db: DbOrTx, row: ClusterRow, to?: string): Promise<UpgradeInput> {
  const blocked = await blockedUpgrade(db, row);
  if (!blocked) {
    throw new DomainError('PRECONDITION_FAILED', `--force approves the reasons a blocked upgrade of "${row.name}" listed, and it has none (its last upgrade did not stop needs_approval)`, {
      hint: `upgrade without --force first: kaas clusters upgrade ${row.name} --to VERSION; if preflight blocks it, review the reasons, then approve them with --force`,
    });
  }
  const toVersion = to ?? parseUpgradeInput(blocked.input).toVersion;
  const spec = row.spec as ClusterSpec;
  const reasons = ((blocked.result as Partial<UpgradeProgress> | null)?.blocked?.blockers ?? []).map((b) => b.message);
  return { toVersion, plan: planUpgrade(spec, toVersion, currentVersionRules(), addonRequirementsFor(spec.target.cloud)), force: { approvedOperation: blocked.id, approvedBy: '', reasons } };
}

/** What an approval of a forced upgrade approves: the cluster's version, the plan and the reasons gone past. */
export function forcedUpgradePlan(row: ClusterRow, input: UpgradeInput): Record<string, unknown> {
  return { clusterId: row.id, from: row.kubernetes_version, toVersion: input.toVersion, plan: input.plan, blockedOperation: input.force?.approvedOperation, reasons: input.force?.reasons ?? [] };
}

export async function upgradeCluster(services: Services, row: ClusterRow, actor: Actor, requestId: string, request: UpgradeRequest): Promise<UpgradeResponse> {
  const failed = await failedUpgrade(services, row);
  let input: UpgradeInput;
  if (request.resume || (failed && request.to === parseUpgradeInput(failed.input).toVersion)) {
    if (!failed) {
      throw new DomainError('PRECONDITION_FAILED', `cluster "${row.name}" has no failed upgrade to resume (it is ${row.status})`, { hint: `start one: kaas clusters upgrade ${row.name} --to MAJOR.MINOR` });
    }
    input = resumeInput(failed);
    if (request.to !== undefined && request.to !== input.toVersion) {
      throw new DomainError('PRECONDITION_FAILED', `the failed upgrade of "${row.name}" was to ${input.toVersion}, not ${request.to}`, { hint: `resume it with --resume, or upgrade to ${input.toVersion}` });
    }
  } else if (request.force) {
    input = await forcedUpgradeInput(services.db, row, request.to);
    const rule = approvalRuleFor(await policyOfCluster(services.db, row), 'forced-upgrade');
    if (rule) {
      // the policy puts a forced upgrade behind approvers other than the requester: ask, start nothing
      const checks = await planChecks(services, row, input.plan!);
      if (request.planOnly) return { plan: input.plan!, startAt: 0, operation: undefined, checks };
      const approval = await services.db.transaction().execute((tx) =>
        openApprovalRequest(tx, { action: 'forced-upgrade', cluster: row, requester: actor.subject, rule, plan: forcedUpgradePlan(row, input), operationId: input.force!.approvedOperation, ttlHours: services.config.approvalTtlHours, requestId }),
      );
      return { plan: input.plan!, startAt: 0, operation: undefined, checks, approval };
    }
    input.force = { ...input.force!, approvedBy: actor.subject };
  } else {
    if (request.to === undefined) throw new DomainError('VALIDATION', 'to: name the version to upgrade to', { issues: [{ path: 'to', message: 'required unless resuming' }] });
    const spec = row.spec as ClusterSpec;
    input = { toVersion: request.to, plan: planUpgrade(spec, request.to, currentVersionRules(), addonRequirementsFor(spec.target.cloud)) };
  }
  const plan = input.plan!;
  const startAt = input.resumeFrom ?? 0;
  const checks = await planChecks(services, row, plan);
  if (request.planOnly) return { plan, startAt, operation: undefined, checks };
  const operation = await startOperation(services, row, 'upgrade', actor, requestId, { ...input });
  return { plan, startAt, operation, checks };
}
