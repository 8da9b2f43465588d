/**
 * A cluster's lifetime actions (issue 13, item 4): extend its time-to-live within the template's
 * maximum, and hibernate / wake it. Hibernating is a normal `update` operation of the stored spec
 * with every node pool at size 0, the previous sizes recorded on the cluster; waking is the
 * update that restores exactly those sizes. On AKS the update stops the whole managed cluster
 * instead (spec unchanged) and the wake starts it before applying (platform/cloud-hibernation.ts). The rules are platform/ttl.ts and
 * platform/hibernation-schedule.ts.
 */
import type { ClusterSpec } from '../../platform/cluster-spec.ts';
import { totalDesiredNodes } from '../../platform/cluster-spec.ts';
import { CLOUD_HIBERNATION, hibernatedSpec } from '../../platform/cloud-hibernation.ts';
import { DomainError } from '../../platform/errors.ts';
import { recordedSizes, withPoolSizes, type PoolSizes } from '../../platform/pool-sizes.ts';
import { extendedExpiry, ttlPolicyOf, type Extension } from '../../platform/ttl.ts';
import { writeAudit } from '../audit.ts';
import type { Actor } from '../auth/tokens.ts';
import type { Services } from '../context.ts';
import type { ClusterRow, OperationRow, Tx } from '../db/schema.ts';
import { findTemplate } from '../templates/template-store.ts';
import { startOperation } from './start-operation.ts';
import { lockTeamAndCheckQuota } from './team-usage.ts';

/** The platform's clock (injected in tests). */
export function nowOf(services: Services): Date {
  return services.clock?.() ?? new Date();
}

/** Extends the cluster's expiry; refused beyond the template max (audited by the router, like every mutation). */
export async function extendCluster(services: Services, actor: Actor, row: ClusterRow, ext: Extension, requestId: string): Promise<{ expiresAt: Date; previous: Date | null }> {
  const template = row.template ? await findTemplate(services.db, row.template) : undefined;
  const policy = ttlPolicyOf(template?.definition.ttl);
  return services.db.transaction().execute(async (tx) => {
    const locked = await tx.selectFrom('clusters').selectAll().where('id', '=', row.id).forUpdate().executeTakeFirstOrThrow();
    if (locked.deleted_at !== null || locked.status === 'deleting') throw new DomainError('PRECONDITION_FAILED', `cluster "${locked.name}" is ${locked.deleted_at ? 'deleted' : 'being deleted'}; it cannot be extended`);
    const expiresAt = extendedExpiry(policy, { name: locked.name, createdAt: locked.created_at, expiresAt: locked.expires_at }, ext, nowOf(services), row.template ?? 'none');
    // a new expiry is warned about afresh
    await tx.updateTable('clusters').set({ expires_at: expiresAt, ttl_warnings_sent: JSON.stringify([]) }).where('id', '=', locked.id).execute();
    return { expiresAt, previous: locked.expires_at };
  });
}

async function recordSizes(tx: Tx, id: string, sizes: PoolSizes | null): Promise<void> {
  await tx.updateTable('clusters').set({ hibernated_sizes: sizes === null ? null : JSON.stringify(sizes) }).where('id', '=', id).execute();
}

/** What a hibernate or wake started, and what the cloud can and cannot stop. */
export interface HibernationResult {
  operation: OperationRow;
  sizes: PoolSizes;
  cloudNote: string;
}

/** Starts the update that scales every node pool to 0, recording the sizes to restore. */
export async function hibernateCluster(services: Services, actor: Actor, row: ClusterRow, cloud: keyof typeof CLOUD_HIBERNATION, requestId: string, scheduled = false): Promise<HibernationResult> {
  if (row.hibernated_sizes !== null) throw new DomainError('PRECONDITION_FAILED', `cluster "${row.name}" is already hibernated`, { hint: `wake it with \`kaas clusters wake ${row.name}\`` });
  const spec = row.spec as ClusterSpec;
  const sizes = recordedSizes(spec.nodePools);
  // AKS: the spec is unchanged, the worker stops the whole cluster instead (platform/cloud-hibernation.ts)
  const asleep = hibernatedSpec(cloud, spec);
  const operation = await startOperation(services, row, 'update', actor, requestId, { spec: asleep, overrides: row.overrides, hibernate: true, ...(scheduled ? { scheduled: true } : {}) }, async (tx, locked) => {
    if (locked.hibernated_sizes !== null) throw new DomainError('PRECONDITION_FAILED', `cluster "${row.name}" is already hibernated`, { hint: `wake it with \`kaas clusters wake ${row.name}\`` });
    await recordSizes(tx, locked.id, sizes);
    // a user's call is audited by the router (api/trpc.ts); the schedule's here
    if (scheduled) await writeAudit(tx, { actor: actor.subject, teamId: locked.team_id, action: 'clusters.hibernate', target: locked.name, result: 'ok', requestId, detail: { sizes, scheduled } });
  });
  return { operation, sizes, cloudNote: CLOUD_HIBERNATION[cloud].note };
}

/** Starts the update that restores the recorded node-pool sizes. */
export async function wakeCluster(services: Services, actor: Actor, row: ClusterRow, cloud: keyof typeof CLOUD_HIBERNATION, requestId: string, scheduled = false): Promise<HibernationResult> {
  const sizes = row.hibernated_sizes as PoolSizes | null;
  if (sizes === null) throw new DomainError('PRECONDITION_FAILED', `cluster "${row.name}" is not hibernated`, { hint: `hibernate it with \`kaas clusters hibernate ${row.name}\`` });
  const awake = withPoolSizes(row.spec as ClusterSpec, sizes);
  const operation = await startOperation(services, row, 'update', actor, requestId, { spec: awake, overrides: row.overrides, wake: true, ...(scheduled ? { scheduled: true } : {}) }, async (tx, locked) => {
    if (locked.hibernated_sizes === null) throw new DomainError('PRECONDITION_FAILED', `cluster "${row.name}" is not hibernated`);
    // waking scales up: the team's node quota applies as to any update (it may have been lowered meanwhile)
    const target = await tx.selectFrom('targets').select('name').where('id', '=', locked.target_id).executeTakeFirstOrThrow();
    await lockTeamAndCheckQuota(tx, locked.team_id, { nodes: totalDesiredNodes(awake), target: target.name, ...(locked.template ? { template: locked.template } : {}), newCluster: false, spec: awake, currentSpec: locked.spec as ClusterSpec }, locked.id);
    await recordSizes(tx, locked.id, null);
    if (scheduled) await writeAudit(tx, { actor: actor.subject, teamId: locked.team_id, action: 'clusters.wake', target: locked.name, result: 'ok', requestId, detail: { sizes, scheduled, nodes: totalDesiredNodes(awake) } });
  });
  return { operation, sizes, cloudNote: CLOUD_HIBERNATION[cloud].note };
}
