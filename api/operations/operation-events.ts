/**
 * The bounded event log of an operation. Events are appended in batches with consecutive `seq`
 * numbers; past MAX_EVENTS only warnings, errors and the summary are kept (step noise is dropped,
 * and one marker says so), so a huge stack cannot grow the log without bound. Events that could
 * not be written (the database was unavailable) leave a gap marker in the log.
 */
import { sql } from 'kysely';
import type { ProgressEvent } from '../../stacks/engine/progress.ts';
import type { DbOrTx } from '../db/schema.ts';

export const MAX_EVENTS = 2000;
const HARD_CAP = MAX_EVENTS + 200;

/** An event as stored and served: engine progress or a platform message. */
export type OperationEvent = ProgressEvent | { kind: 'message'; message: string; severity?: string };

export interface StoredEvent {
  seq: number;
  at: string;
  event: OperationEvent;
}

function isEssential(event: OperationEvent): boolean {
  return event.kind === 'diagnostic' || event.kind === 'summary' || event.kind === 'message' || event.kind === 'step-failed';
}

/**
 * Appends events to an operation's log, keeping it bounded. With `attempt` (a worker attempt's
 * fencing token, api/worker/attempt-lease.ts) the append is fenced in the statement that reserves
 * the `seq` numbers: when that attempt no longer runs the operation, nothing is written.
 */
export async function appendEvents(db: DbOrTx, operationId: string, events: OperationEvent[], attempt?: number): Promise<void> {
  if (events.length === 0) return;
  let reserve = db.updateTable('operations').set({ event_count: sql`event_count + ${events.length}` }).where('id', '=', operationId);
  if (attempt !== undefined) reserve = reserve.where('attempts', '=', attempt).where('status', '=', 'running');
  const counter = await reserve.returning('event_count').executeTakeFirst();
  if (!counter) return;
  const first = counter.event_count - events.length + 1;
  const rows = events
    .map((event, i) => ({ operation_id: operationId, seq: first + i, event }))
    .filter((row) => row.seq <= MAX_EVENTS || (row.seq <= HARD_CAP && isEssential(row.event)))
    .map((row) => ({ ...row, event: JSON.stringify(row.event) }));
  if (first <= MAX_EVENTS + 1 && first + events.length - 1 > MAX_EVENTS) {
    rows.push({ operation_id: operationId, seq: MAX_EVENTS + 1, event: JSON.stringify({ kind: 'message', severity: 'info', message: `event log reached ${MAX_EVENTS} entries; from here on only warnings, errors and the summary are kept` }) });
  }
  if (rows.length > 0) await db.insertInto('operation_events').values(rows).onConflict((oc) => oc.doNothing()).execute();
}

/** Events with seq > `after`, oldest first. */
export async function readEvents(db: DbOrTx, operationId: string, after: number, limit: number): Promise<StoredEvent[]> {
  const rows = await db.selectFrom('operation_events').select(['seq', 'at', 'event']).where('operation_id', '=', operationId).where('seq', '>', after).orderBy('seq').limit(limit).execute();
  return rows.map((r) => ({ seq: r.seq, at: r.at.toISOString(), event: r.event as OperationEvent }));
}

/** The marker written in place of events lost while the database was unavailable. */
export function gapMarker(lost: number): OperationEvent {
  return { kind: 'message', severity: 'warning', message: `${lost} event${lost === 1 ? '' : 's'} lost while the database was unavailable` };
}

/**
 * Buffers events and flushes them in batches (every `intervalMs`, and on `flush`). A batch that
 * cannot be written is dropped and counted; the next write that succeeds (any later `flush`,
 * even with nothing buffered) starts with one gap marker saying how many events were lost.
 * With `attempt`, every write is fenced by that attempt's token (see `appendEvents`): events a
 * superseded attempt still had buffered are never written.
 */
export class EventWriter {
  #buffer: OperationEvent[] = [];
  #timer: NodeJS.Timeout | undefined;
  #chain: Promise<void> = Promise.resolve();
  #lost = 0;
  readonly #db: DbOrTx;
  readonly #operationId: string;
  readonly #intervalMs: number;
  readonly #onError: (err: unknown) => void;
  readonly #attempt: number | undefined;

  constructor(db: DbOrTx, operationId: string, intervalMs = 250, onError: (err: unknown) => void = () => undefined, attempt?: number) {
    this.#attempt = attempt;
    this.#db = db;
    this.#operationId = operationId;
    this.#intervalMs = intervalMs;
    this.#onError = onError;
  }

  /** Events dropped since the last successful write (not yet covered by a gap marker). */
  get lost(): number {
    return this.#lost;
  }

  push(event: OperationEvent): void {
    this.#buffer.push(event);
    this.#timer ??= setTimeout(() => void this.flush(), this.#intervalMs);
  }

  /** Writes everything buffered so far; resolves when it is stored, or dropped and counted. */
  flush(): Promise<void> {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const batch = this.#buffer.splice(0);
    this.#chain = this.#chain.then(() => this.#write(batch));
    return this.#chain;
  }

  async #write(batch: OperationEvent[]): Promise<void> {
    const lost = this.#lost;
    const events = lost > 0 ? [gapMarker(lost), ...batch] : batch;
    try {
      await appendEvents(this.#db, this.#operationId, events, this.#attempt);
      this.#lost -= lost;
    } catch (err) {
      this.#lost += batch.length;
      this.#onError(err);
    }
  }
}
