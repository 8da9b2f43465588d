/**
 * `clusters.rollback`: returns a cluster's blue-green node pools to their previous generation
 * while the rollback window is open (platform/blue-green-plan.ts `planRollback`), as a `rollback`
 * operation. Refused here, with nothing queued, when no pool keeps a previous generation or the
 * window closed (the error names when). Control planes are never rolled back (see NO_DOWNGRADE in
 * upgrade-cluster.ts for what each cloud allows).
 */
import { planRollback, type RollbackPlan } from '../../platform/blue-green-plan.ts';
import type { ClusterSpec } from '../../platform/cluster-spec.ts';
import type { Actor } from '../auth/tokens.ts';
import { clockOf } from '../clock.ts';
import type { Services } from '../context.ts';
import type { ClusterRow, OperationRow } from '../db/schema.ts';
import { currentVersionRules } from '../versions/version-rules.ts';
import { startOperation } from './start-operation.ts';

/** Said with every rollback plan. */
export const ROLLBACK_NOTE =
  'rollback restores node pools only: the control plane stays at its version (no managed cloud lets a control plane be set to an older version; see the upgrade plan note)';

export interface RollbackResponse {
  plan: RollbackPlan;
  operation: OperationRow | undefined;
  notes: string[];
}

/** The rollback plan of `row` now (throws PRECONDITION_FAILED when there is none). */
export function rollbackPlanOf(services: Services, spec: ClusterSpec): RollbackPlan {
  const now = clockOf(services)();
  return planRollback(spec, now, currentVersionRules(new Date(now))[spec.target.cloud].maxNodeSkew);
}

export async function rollbackCluster(services: Services, row: ClusterRow, actor: Actor, requestId: string, request: { planOnly: boolean }): Promise<RollbackResponse> {
  const plan = rollbackPlanOf(services, row.spec as ClusterSpec);
  if (request.planOnly) return { plan, operation: undefined, notes: [ROLLBACK_NOTE] };
  const operation = await startOperation(services, row, 'rollback', actor, requestId, {});
  return { plan, operation, notes: [ROLLBACK_NOTE] };
}
