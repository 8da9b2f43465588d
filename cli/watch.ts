/**
 * Watching an operation: poll `clusters.events` from the last seq (about once a second), hand each
 * new event and each status change to the caller, and stop when the operation is finished — or
 * when `signal` aborts (Ctrl-C), leaving the operation running on the server.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Operation } from './api-types.ts';
import type { StoredEvent } from './api-types.ts';
import type { Api } from './client.ts';

export const TERMINAL_STATUSES = new Set(['succeeded', 'failed', 'cancelled']);

export interface WatchTarget {
  team?: string | undefined;
  name: string;
  /** Defaults to the cluster's latest operation. */
  operationId?: string | undefined;
  /** Only events with seq > after. */
  after?: number;
}

export interface WatchHandlers {
  onEvent(event: StoredEvent): void;
  onStatus?(operation: Operation): void;
  signal?: AbortSignal;
  intervalMs?: number;
  /** Keep polling until the operation ends (true), or return after the first read (false). */
  follow?: boolean;
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
  for (;;) {
    const page = await api.trpc.clusters.events.query({ ...(target.team ? { team: target.team } : {}), name: target.name, ...(operationId ? { operationId } : {}), after, limit: PAGE });
    operationId ??= page.operation.id; // pin the operation: a newer one must not take over mid-watch
    for (const event of page.events) handlers.onEvent(event);
    after = page.nextAfter;
    const op = page.operation;
    const state = `${op.status}|${op.step ?? ''}`;
    if (state !== lastState) handlers.onStatus?.(op);
    lastState = state;
    const more = page.events.length === PAGE;
    if (more) continue;
    if (TERMINAL_STATUSES.has(op.status) || !follow) return { operation: op, interrupted: false, lastSeq: after };
    if (handlers.signal?.aborted) return { operation: op, interrupted: true, lastSeq: after };
    try {
      await sleep(handlers.intervalMs ?? 1000, undefined, handlers.signal ? { signal: handlers.signal } : {});
    } catch {
      return { operation: op, interrupted: true, lastSeq: after };
    }
  }
}
