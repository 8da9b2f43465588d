/** The approval policy that governs a cluster: its target's, or the platform's default. */
import { DEFAULT_APPROVAL_POLICY, type ApprovalPolicy } from '../../platform/approval-policy.ts';
import type { DbOrTx, TargetRow } from '../db/schema.ts';

/** The policy of `target` (null column: the default). */
export function policyOfTarget(target: Pick<TargetRow, 'approval_policy'>): ApprovalPolicy {
  return target.approval_policy ?? DEFAULT_APPROVAL_POLICY;
}

/** The policy of the target the cluster lives on. */
export async function policyOfCluster(db: DbOrTx, cluster: { target_id: string }): Promise<ApprovalPolicy> {
  const target = await db.selectFrom('targets').select('approval_policy').where('id', '=', cluster.target_id).executeTakeFirstOrThrow();
  return policyOfTarget(target);
}
