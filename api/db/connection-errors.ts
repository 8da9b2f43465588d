/**
 * Lost database connections, in one place: keeping a pool alive when its connections die, telling
 * "the database is unavailable" (retry later) from other errors, and retrying a write across a
 * short outage.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type pg from 'pg';

/**
 * Makes a pool survive connections that die (pg_terminate_backend, 57P01, a server restart): the
 * pool's own listener covers only idle clients, and a client checked out — by kysely, mid-query or
 * idle inside a transaction — emits 'error' with no listener, an uncaught exception that kills the
 * process. So every client gets a listener when it connects. The statement in flight rejects with
 * the same error (the caller sees it), and pg-pool drops a client that is no longer queryable on
 * release (pg-pool/index.js `_release`, pg-pool@3), so the next checkout gets a fresh connection.
 */
export function guardPool(pool: pg.Pool, onError: (err: Error) => void = () => undefined): pg.Pool {
  pool.on('error', onError);
  pool.on('connect', (client) => client.on('error', onError));
  return pool;
}

/** Node socket errors that mean the server cannot be reached (or went away). */
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);
/**
 * SQLSTATEs of an unavailable server (https://www.postgresql.org/docs/current/errcodes-appendix.html):
 * class 08 (connection exception), 57P01 admin_shutdown, 57P02 crash_shutdown, 57P03
 * cannot_connect_now (starting up or shutting down), 53300 too_many_connections.
 */
const UNAVAILABLE_SQLSTATE = /^(08...|57P0[123]|53300)$/;
/** pg's own messages for a socket that closed under it (pg/lib/client.js@8). */
const PG_MESSAGES = /^(Connection terminated( unexpectedly| due to connection timeout)?|Client has encountered a connection error and is not queryable|timeout exceeded when trying to connect)$/;

/** Whether `err` (or an error in its cause chain) means the database is unavailable: retry later. */
export function isDatabaseUnavailable(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e && typeof e === 'object' && depth < 6; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && (SOCKET_CODES.has(code) || UNAVAILABLE_SQLSTATE.test(code))) return true;
    const message = (e as { message?: unknown }).message;
    if (typeof message === 'string' && PG_MESSAGES.test(message)) return true;
    // AggregateError (e.g. ECONNREFUSED on both ::1 and 127.0.0.1)
    const errors = (e as { errors?: unknown }).errors;
    if (Array.isArray(errors) && errors.some((x) => isDatabaseUnavailable(x))) return true;
  }
  return false;
}

/**
 * Runs `fn`, running it again while it fails because the database is unavailable (backoff from
 * `firstDelayMs`, doubling, at most `maxDelayMs`), for at most `attempts` runs. Other errors, and
 * the last unavailable one, are thrown. `fn` must be safe to repeat (an idempotent write, or one
 * transaction that rolled back when its connection died).
 */
export async function retryWhileUnavailable<T>(fn: () => Promise<T>, opts: { attempts?: number; firstDelayMs?: number; maxDelayMs?: number; signal?: AbortSignal; onRetry?: (err: unknown, attempt: number) => void } = {}): Promise<T> {
  const attempts = opts.attempts ?? 8;
  let delay = opts.firstDelayMs ?? 250;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (attempt >= attempts || !isDatabaseUnavailable(err) || opts.signal?.aborted) throw err;
      opts.onRetry?.(err, attempt);
      await sleep(delay, undefined, opts.signal ? { signal: opts.signal } : {});
      delay = Math.min(delay * 2, opts.maxDelayMs ?? 5000);
    }
  }
}
