/**
 * The loop every live stream (tRPC subscription) runs: listen first, then read the state, yield
 * what is new, and wait for the next change that concerns the stream. Authorization was checked
 * when it subscribed; the token (and console session) is checked again whenever either changes
 * in the database (revoked, signed out) and at least every REAUTH_MS, so a revoked token ends
 * its streams at once with UNAUTHORIZED.
 */
import { TRPCError } from '@trpc/server';
import { DomainError } from '../../platform/errors.ts';
import { stillAuthenticated } from '../auth/sessions.ts';
import type { Actor } from '../auth/tokens.ts';
import type { Context } from '../context.ts';
import { toTrpcError } from '../errors.ts';
import type { Change, Wake } from './change-feed.ts';

/** Longest time a stream goes without re-checking its token (an expiry is noticed this late at most). */
export const REAUTH_MS = 15_000;

/** One read of a stream: what to send, whether the stream is over, whether to read again at once. */
export interface StreamRead<T> {
  items: T[];
  done: boolean;
  more?: boolean;
}

function asTrpcError(err: unknown): unknown {
  return err instanceof DomainError ? toTrpcError(err) : err;
}

/**
 * Runs a stream for an authenticated caller: `wants` selects the changes that concern it, and
 * `read` (first with no wake, then with each) returns what to send.
 */
export async function* liveStream<T>(
  ctx: Context & { actor: Actor },
  signal: AbortSignal | undefined,
  wants: (change: Change) => boolean,
  read: (wake: Wake | undefined) => Promise<StreamRead<T>>,
): AsyncGenerator<T, void> {
  const feed = ctx.services.changes;
  if (!feed) throw new TRPCError({ code: 'NOT_IMPLEMENTED', message: 'live streams are not served by this process (it has no change feed)' });
  const { actor, sessionId } = ctx;
  const isAuthChange = (c: Change) => (c.t === 'token' && c.id === actor.tokenId) || (c.t === 'session' && c.id === sessionId);
  const inbox = feed.subscribe((c) => isAuthChange(c) || wants(c));
  try {
    let wake: Wake | undefined;
    for (;;) {
      if (wake && (wake.idle || wake.resync || wake.changes.some(isAuthChange)) && !(await stillAuthenticated(ctx.services.db, actor, sessionId))) {
        throw toTrpcError(new DomainError('UNAUTHENTICATED', 'the stream ended: its API token was revoked or expired, or the console session ended', { hint: 'sign in again (or run `kaas login`) with a valid token' }));
      }
      let result: StreamRead<T>;
      try {
        result = await read(wake);
      } catch (err) {
        throw asTrpcError(err);
      }
      for (const item of result.items) yield item;
      if (result.done || signal?.aborted) return;
      if (result.more) {
        wake = { changes: [], resync: false, idle: false };
        continue;
      }
      wake = await inbox.next(signal, REAUTH_MS);
      if (signal?.aborted) return;
      if (feed.stopped) throw new TRPCError({ code: 'SERVICE_UNAVAILABLE', message: 'the platform is shutting down: reconnect' });
    }
  } finally {
    inbox.close();
  }
}
