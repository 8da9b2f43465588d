/**
 * `operations.events`: an operation's events as they are written, from any worker, over SSE.
 * Each item is the stored event (as `clusters.events` returns it) with the operation's state
 * when it was read, tracked by its seq so a reconnecting client resumes after the last one.
 * The stream ends once the operation has ended and every event is sent.
 */
import { tracked } from '@trpc/server';
import { DomainError } from '../../platform/errors.ts';
import type { Actor } from '../auth/tokens.ts';
import type { Context } from '../context.ts';
import type { DbOrTx, OperationRow } from '../db/schema.ts';
import { liveStream } from '../events/live-stream.ts';
import { readEvents, type StoredEvent } from './operation-events.ts';

/** Statuses an operation ends in. */
export const OPERATION_END_STATUSES: ReadonlySet<OperationRow['status']> = new Set(['succeeded', 'needs_approval', 'failed', 'cancelled']);

/** One streamed event. */
export interface StreamedEvent extends StoredEvent {
  operation: { id: string; kind: string; status: OperationRow['status']; step: string | null };
}

const PAGE = 500;

/** The operation `id` when `actor` may see it (a platform admin: any; others: their team's), else NOT_FOUND. */
export async function visibleOperation(db: DbOrTx, actor: Actor, id: string): Promise<OperationRow> {
  let query = db.selectFrom('operations').innerJoin('clusters', 'clusters.id', 'operations.cluster_id').selectAll('operations').where('operations.id', '=', id);
  if (actor.role !== 'platform-admin') query = query.where('clusters.team_id', '=', actor.teamId!);
  const row = await query.executeTakeFirst();
  if (!row) throw new DomainError('NOT_FOUND', `operation ${id} does not exist (or belongs to another team)`, { hint: 'see a cluster\'s operations with `kaas clusters operations NAME`' });
  return row;
}

/** The seq to resume after: a reconnecting client's last event id wins over `after`. */
function resumeAfter(input: { after?: number | undefined; lastEventId?: string | null | undefined }): number {
  const last = input.lastEventId && /^\d{1,10}$/.test(input.lastEventId) ? Number(input.lastEventId) : undefined;
  return last ?? input.after ?? 0;
}

type StreamInput = { operationId: string; after?: number | undefined; lastEventId?: string | null | undefined };

/** `operations.events`: authorizes first (NOT_FOUND for an operation the caller cannot see); over SSE a refusal is the stream's one `serialized-error` event. */
export async function openOperationEventStream(ctx: Context & { actor: Actor }, input: StreamInput, signal: AbortSignal | undefined): Promise<AsyncGenerator<ReturnType<typeof tracked<StreamedEvent>>, void>> {
  await visibleOperation(ctx.services.db, ctx.actor, input.operationId);
  return operationEventStream(ctx, input, signal);
}

async function* operationEventStream(ctx: Context & { actor: Actor }, input: StreamInput, signal: AbortSignal | undefined) {
  const db = ctx.services.db;
  let after = resumeAfter(input);
  yield* liveStream(
    ctx,
    signal,
    (c) => c.t === 'op' && c.id === input.operationId,
    async () => {
      // the state first, then the events: events written before it ended are all read
      const op = await db.selectFrom('operations').select(['id', 'kind', 'status', 'step']).where('id', '=', input.operationId).executeTakeFirstOrThrow();
      const events = await readEvents(db, op.id, after, PAGE);
      if (events.length) after = events[events.length - 1]!.seq;
      const more = events.length === PAGE;
      return {
        items: events.map((e) => tracked(String(e.seq), { ...e, operation: { id: op.id, kind: op.kind, status: op.status, step: op.step } } satisfies StreamedEvent)),
        done: !more && OPERATION_END_STATUSES.has(op.status),
        more,
      };
    },
  );
}
