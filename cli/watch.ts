/**
 * Watching an operation: read `clusters.events` once (which operation, its state, the events so
 * far), then follow the live stream (`operations.events` over SSE) to its end, and read once more
 * for the final state. When the stream cannot be used (refused, broken, an older server), poll
 * `clusters.events` from the last seq (about once a second) instead. Each new event and each
 * status change goes to the caller; the watch stops when the operation is finished — or when
 * `signal` aborts (Ctrl-C), leaving the operation running on the server. A poll that fails
 * because the database or the API is unavailable (exit codes 8 and 7) is retried with backoff
 * after a one-line notice, since the operation goes on on the server meanwhile.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Operation } from './api-types.ts';
import type { StoredEvent } from './api-types.ts';
import type { Api } from './client.ts';
import { toCliError, type CliError } from './errors.ts';
import { EXIT } from './exit-codes.ts';

/** Statuses an operation ends in: `needs_approval` stopped, changing nothing, for an approval. */
export const TERMINAL_STATUSES = new Set(['succeeded', 'needs_approval', 'failed', 'cancelled']);

export interface WatchTarget {
  team?: string | undefined;
  name: string;
  /** Defaults to the cluster's latest operation. */
  operationId?: string | undefined;
  /** Only events with seq > after. */
  after?: number;
}

export interface WatchHandlers {
  /** Each new event, with the operation it belongs to (its kind decides how a step reads). */
  onEvent(event: StoredEvent, operation: Operation): void;
  onStatus?(operation: Operation): void;
  signal?: AbortSignal;
  intervalMs?: number;
  /** Keep polling until the operation ends (true), or return after the first read (false). */
  follow?: boolean;
  /** One-line notices (an outage began, the watch is back); default: stderr. */
  onNotice?(line: string): void;
  /** First wait after a failed poll, doubling up to `maxRetryDelayMs` (default 1 s and 15 s). */
  retryDelayMs?: number;
  maxRetryDelayMs?: number;
}

/** Whether a failed poll is an outage worth waiting out: the database or the API unavailable. */
export function isOutage(error: CliError): boolean {
  return error.exitCode === EXIT.UNAVAILABLE || error.exitCode === EXIT.UNREACHABLE;
}

function outageNotice(error: CliError, url: string): string {
  const what = error.exitCode === EXIT.UNAVAILABLE ? 'database unavailable' : `cannot reach the kaas API at ${url}`;
  return `${what}: still watching, retrying with backoff (Ctrl-C stops watching; the operation goes on)`;
}

export interface WatchResult {
  operation: Operation;
  /** True when the signal stopped the watch before the operation ended. */
  interrupted: boolean;
  lastSeq: number;
}

const PAGE = 500;

/** Reads events until the operation ends (or once, without `follow`). */
export async function watchOperation(api: Api, target: WatchTarget, handlers: WatchHandlers): Promise<WatchResult> {
  let after = target.after ?? 0;
  let operationId = target.operationId;
  let lastState: string | undefined;
  const follow = handlers.follow ?? true;
  const notice = handlers.onNotice ?? ((line: string) => void process.stderr.write(`${line}\n`));
  let lastOp: Operation | undefined;
  let retryDelay = handlers.retryDelayMs ?? 1000;
  let inOutage = false;
  let streamFailed = false;
  for (;;) {
    let page: Awaited<ReturnType<typeof api.trpc.clusters.events.query>>;
    try {
      page = await api.trpc.clusters.events.query({ ...(target.team ? { team: target.team } : {}), name: target.name, ...(operationId ? { operationId } : {}), after, limit: PAGE });
    } catch (err) {
      const error = toCliError(err, { url: api.url });
      if (!follow || !isOutage(error)) throw error;
      if (!inOutage) notice(outageNotice(error, api.url));
      inOutage = true;
      try {
        if (handlers.signal?.aborted) throw handlers.signal.reason;
        await sleep(retryDelay, undefined, handlers.signal ? { signal: handlers.signal } : {});
      } catch {
        if (lastOp) return { operation: lastOp, interrupted: true, lastSeq: after };
        throw error;
      }
      retryDelay = Math.min(retryDelay * 2, handlers.maxRetryDelayMs ?? 15_000);
      continue;
    }
    if (inOutage) notice('reconnected: watching again');
    inOutage = false;
    retryDelay = handlers.retryDelayMs ?? 1000;
    lastOp = page.operation;
    operationId ??= page.operation.id; // pin the operation: a newer one must not take over mid-watch
    const op = page.operation;
    const state = `${op.status}|${op.step ?? ''}`;
    // a status the operation reached before these events happened is told first; its end, after them
    const ended = TERMINAL_STATUSES.has(op.status);
    if (state !== lastState && !ended) handlers.onStatus?.(op);
    for (const event of page.events) handlers.onEvent(event, op);
    if (state !== lastState && ended) handlers.onStatus?.(op);
    after = page.nextAfter;
    lastState = state;
    const more = page.events.length === PAGE;
    if (more) continue;
    if (TERMINAL_STATUSES.has(op.status) || !follow) return { operation: op, interrupted: false, lastSeq: after };
    if (handlers.signal?.aborted) return { operation: op, interrupted: true, lastSeq: after };
    if (api.streamOperationEvents && !streamFailed) {
      const streamed = await followStream(api.streamOperationEvents.bind(api), op, after, lastState, handlers);
      after = streamed.after;
      lastState = streamed.lastState;
      lastOp = streamed.operation;
      if (handlers.signal?.aborted) return { operation: streamed.operation, interrupted: true, lastSeq: after };
      streamFailed = streamed.failed;
      // read again at once: the final state (and anything the stream did not bring)
      if (streamed.failed || streamed.count > 0) continue;
    }
    try {
      await sleep(handlers.intervalMs ?? 1000, undefined, handlers.signal ? { signal: handlers.signal } : {});
    } catch {
      return { operation: op, interrupted: true, lastSeq: after };
    }
  }
}

/**
 * Follows `operations.events` from `after`: each event goes to `onEvent`, a status it was read
 * in is told first when it changed (the end is left to the read that follows). Reports where it
 * stopped and whether the stream failed (then the caller polls from there).
 */
async function followStream(
  stream: NonNullable<Api['streamOperationEvents']>,
  op: Operation,
  after: number,
  lastState: string | undefined,
  handlers: WatchHandlers,
): Promise<{ after: number; lastState: string | undefined; operation: Operation; failed: boolean; count: number }> {
  let operation = op;
  let count = 0;
  try {
    for await (const item of stream({ operationId: op.id, after }, handlers.signal)) {
      if (item.seq <= after) continue;
      operation = { ...operation, status: item.operation.status, step: item.operation.step };
      const state = `${operation.status}|${operation.step ?? ''}`;
      if (state !== lastState && !TERMINAL_STATUSES.has(operation.status)) {
        handlers.onStatus?.(operation);
        lastState = state;
      }
      handlers.onEvent({ seq: item.seq, at: item.at, event: item.event }, operation);
      after = item.seq;
      count++;
    }
    return { after, lastState, operation, failed: false, count };
  } catch {
    return { after, lastState, operation, failed: true, count };
  }
}
