/**
 * `clusters.upgrade`: plans a Kubernetes upgrade of one cluster and, unless only the plan is
 * asked for, starts an `upgrade` operation carrying it. An impossible plan is refused here
 * (PRECONDITION_FAILED with every reason) and nothing is queued. A cluster whose last upgrade
 * failed is resumed — with `resume`, or by asking for the same version again — from the step that
 * failed, with the plan of the failed operation.
 */
import { addonRequirementsFor } from '../../platform/addon-requirements.ts';
import type { ClusterSpec } from '../../platform/cluster-spec.ts';
import { DomainError } from '../../platform/errors.ts';
import { planUpgrade, type UpgradePlan } from '../../platform/upgrade-plan.ts';
import { currentVersionRules } from '../versions/version-rules.ts';
import type { Actor } from '../auth/tokens.ts';
import type { Services } from '../context.ts';
import type { ClusterRow, OperationRow } from '../db/schema.ts';
import { startOperation } from './start-operation.ts';
import { parseUpgradeInput, type UpgradeInput, type UpgradeProgress } from './upgrade-input.ts';

export interface UpgradeRequest {
  to?: string | undefined;
  planOnly: boolean;
  resume: boolean;
}

export interface UpgradeResponse {
  plan: UpgradePlan;
  /** The plan step the operation starts at (0 unless resuming). */
  startAt: number;
  operation: OperationRow | undefined;
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
  } else {
    if (request.to === undefined) throw new DomainError('VALIDATION', 'to: name the version to upgrade to', { issues: [{ path: 'to', message: 'required unless resuming' }] });
    const spec = row.spec as ClusterSpec;
    input = { toVersion: request.to, plan: planUpgrade(spec, request.to, currentVersionRules(), addonRequirementsFor(spec.target.cloud)) };
  }
  const plan = input.plan!;
  const startAt = input.resumeFrom ?? 0;
  if (request.planOnly) return { plan, startAt, operation: undefined };
  const operation = await startOperation(services, row, 'upgrade', actor, requestId, { ...input });
  return { plan, startAt, operation };
}
