/** The approval policy that governs a cluster: its target's (or the default), refined by its template's. */
import { effectivePolicy, type ApprovalPolicy } from '../../platform/approval-policy.ts';
import type { TemplateDefinition } from '../../platform/templates.ts';
import type { DbOrTx } from '../db/schema.ts';
import { parseTemplateRef } from '../templates/template-store.ts';

/** The policy of the cluster's target with its template's `approvals:` rules on top. */
export async function policyOfCluster(db: DbOrTx, cluster: { target_id: string; template: string | null }): Promise<ApprovalPolicy> {
  const target = await db.selectFrom('targets').select('approval_policy').where('id', '=', cluster.target_id).executeTakeFirstOrThrow();
  let templatePolicy: ApprovalPolicy | undefined;
  if (cluster.template) {
    const { name, version } = parseTemplateRef(cluster.template);
    let query = db.selectFrom('templates').select('definition').where('name', '=', name);
    query = version === undefined ? query.orderBy('version', 'desc').limit(1) : query.where('version', '=', version);
    templatePolicy = ((await query.executeTakeFirst())?.definition as TemplateDefinition | undefined)?.approvals;
  }
  return effectivePolicy(target.approval_policy, templatePolicy);
}
