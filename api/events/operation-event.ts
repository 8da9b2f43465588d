/**
 * The `dev.kaas.operation.<status>` event of an operation's transition, written with the same
 * transaction as the status change (start-operation.ts for `queued`, run-operation.ts for
 * `running` and the outcome), and the `dev.kaas.drift.detected` event of a drift check that found drift.
 */
import type { DbOrTx } from '../db/schema.ts';
import type { PlatformEventType } from '../../platform/event-types.ts';
import { publishEvent } from './publish-event.ts';

/** The operation statuses that are events. */
export type OperationEventStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled' | 'needs_approval';

export interface OperationEventFacts {
  operation: { id: string; kind: string; actor: string; attempt?: number; error?: string | null; reason?: string };
  cluster: { id: string; name: string; team_id: string };
}

async function teamName(db: DbOrTx, teamId: string): Promise<string | null> {
  const row = await db.selectFrom('teams').select('name').where('id', '=', teamId).executeTakeFirst();
  return row?.name ?? null;
}

/** Publishes `dev.kaas.operation.<status>` for `facts`. */
export async function publishOperationEvent(db: DbOrTx, status: OperationEventStatus, facts: OperationEventFacts): Promise<void> {
  const { operation, cluster } = facts;
  const team = await teamName(db, cluster.team_id);
  await publishEvent(db, {
    type: `dev.kaas.operation.${status}` satisfies PlatformEventType,
    subject: `clusters/${team ?? cluster.team_id}/${cluster.name}`,
    teamId: cluster.team_id,
    data: {
      operation: { id: operation.id, kind: operation.kind, status, actor: operation.actor, ...(operation.attempt !== undefined ? { attempt: operation.attempt } : {}), ...(operation.error ? { error: operation.error } : {}), ...(operation.reason ? { reason: operation.reason } : {}) },
      cluster: { id: cluster.id, name: cluster.name },
      team,
    },
  });
}

/** Publishes `dev.kaas.drift.detected` for a drift check (`operationId`) that found `resources` drifted. */
export async function publishDriftEvent(db: DbOrTx, facts: OperationEventFacts, drift: { checkedAt: string; resources: unknown[] }): Promise<void> {
  const { operation, cluster } = facts;
  const team = await teamName(db, cluster.team_id);
  await publishEvent(db, {
    type: 'dev.kaas.drift.detected',
    subject: `clusters/${team ?? cluster.team_id}/${cluster.name}`,
    teamId: cluster.team_id,
    data: { cluster: { id: cluster.id, name: cluster.name }, team, operation: { id: operation.id, kind: operation.kind }, checkedAt: drift.checkedAt, resources: drift.resources },
  });
}
