/**
 * What each approvable action means to the approval flow, in one table: the plan it would carry
 * out now (compared with the approved plan's hash; undefined when only the worker can know it,
 * as for a reconcile, whose preview runs in the worker), what starts once it is approved, and what
 * ends when it is rejected.
 */
import { publishOperationEvent } from '../events/operation-event.ts';
import type { ApprovalAction } from '../../platform/approval-policy.ts';
import type { Actor } from '../auth/tokens.ts';
import type { Services } from '../context.ts';
import type { ApprovalRequestRow, ClusterRow, Tx } from '../db/schema.ts';
import { assertOperationAllowed, insertOperation } from '../clusters/start-operation.ts';
import { forcedUpgradeInput, forcedUpgradePlan } from '../clusters/upgrade-cluster.ts';
import { approveWave, haltForRejection, wavePlan } from '../fleet/campaign-control.ts';
import { findCampaign } from '../fleet/campaign-control.ts';

/** What a protected cluster's delete approves: the cluster as it is now. */
export function deletePlan(row: ClusterRow): Record<string, unknown> {
  return { clusterId: row.id, spec: row.spec, labels: row.labels, kubernetesVersion: row.kubernetes_version };
}

interface ActionFlow {
  /** The plan the action would carry out now; undefined: checked when it runs. */
  currentPlan(tx: Tx, req: ApprovalRequestRow): Promise<Record<string, unknown> | undefined>;
  /** Starts the approved action; returns the operation it started, if any. */
  proceed(services: Services, tx: Tx, req: ApprovalRequestRow, approver: Actor, requestId: string): Promise<string | null>;
  /** Ends what waited on a rejected request. */
  reject(tx: Tx, req: ApprovalRequestRow, reason: string): Promise<void>;
}

async function lockedCluster(tx: Tx, req: ApprovalRequestRow): Promise<ClusterRow> {
  return tx.selectFrom('clusters').selectAll().where('id', '=', req.cluster_id!).forUpdate().executeTakeFirstOrThrow();
}

async function startOn(services: Services, tx: Tx, req: ApprovalRequestRow, kind: 'delete' | 'reconcile' | 'upgrade', approver: Actor, requestId: string, input: Record<string, unknown>): Promise<string> {
  const cluster = await lockedCluster(tx, req);
  assertOperationAllowed(cluster, kind);
  return (await insertOperation(services, tx, cluster, kind, approver, requestId, { ...input, approval: req.id })).id;
}

/** The stopped operation a rejected request ends: cancelled, with the reason. */
async function endStoppedOperation(tx: Tx, req: ApprovalRequestRow, reason: string): Promise<void> {
  if (!req.operation_id) return;
  const ended = await tx.updateTable('operations').set({ status: 'cancelled', error: reason }).where('id', '=', req.operation_id).where('status', '=', 'needs_approval').returning(['id', 'kind', 'actor', 'cluster_id']).executeTakeFirst();
  if (!ended) return;
  const cluster = await tx.selectFrom('clusters').select(['id', 'name', 'team_id']).where('id', '=', ended.cluster_id).executeTakeFirstOrThrow();
  await publishOperationEvent(tx, 'cancelled', { operation: { id: ended.id, kind: ended.kind, actor: ended.actor, error: reason }, cluster });
}

export const APPROVAL_FLOWS: Record<ApprovalAction, ActionFlow> = {
  delete: {
    currentPlan: async (tx, req) => deletePlan(await lockedCluster(tx, req)),
    proceed: (services, tx, req, approver, requestId) => startOn(services, tx, req, 'delete', approver, requestId, {}),
    reject: async () => undefined,
  },
  reconcile: {
    currentPlan: async () => undefined,
    proceed: (services, tx, req, approver, requestId) => startOn(services, tx, req, 'reconcile', approver, requestId, {}),
    reject: endStoppedOperation,
  },
  'forced-upgrade': {
    async currentPlan(tx, req) {
      const row = await lockedCluster(tx, req);
      return forcedUpgradePlan(row, await forcedUpgradeInput(tx, row, (req.plan as { toVersion?: string }).toVersion));
    },
    async proceed(services, tx, req, approver, requestId) {
      const row = await lockedCluster(tx, req);
      const input = await forcedUpgradeInput(tx, row, (req.plan as { toVersion?: string }).toVersion);
      const approvedBy = req.approvals.map((a) => a.subject).join(', ');
      return startOn(services, tx, req, 'upgrade', approver, requestId, { ...input, force: { ...input.force!, approvedBy } });
    },
    reject: endStoppedOperation,
  },
  'fleet-wave': {
    currentPlan: async (tx, req) => wavePlan(tx, await findCampaign(tx, req.campaign_id!, { forUpdate: true })),
    async proceed(_services, tx, req) {
      await approveWave(tx, await findCampaign(tx, req.campaign_id!, { forUpdate: true }));
      return null;
    },
    reject: async (tx, req, reason) => haltForRejection(tx, await findCampaign(tx, req.campaign_id!, { forUpdate: true }), reason),
  },
};
