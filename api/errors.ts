/**
 * The one table mapping domain error codes to tRPC codes, and the conversion of anything thrown
 * into a TRPCError the client can show: code, message, hint, field issues. Unknown errors become
 * INTERNAL_SERVER_ERROR with no internals leaked, except a lost database connection: that is
 * SERVICE_UNAVAILABLE "database unavailable" (HTTP 503, kaas code UNAVAILABLE), which clients retry.
 */
import { TRPCError } from '@trpc/server';
import type { TRPC_ERROR_CODE_KEY } from '@trpc/server/rpc';
import { ZodError } from 'zod';
import { isDatabaseUnavailable } from './db/connection-errors.ts';
import { DomainError, type DomainErrorCode, type FieldIssue } from '../platform/errors.ts';
import { zodIssuesToFieldIssues } from '../platform/zod-issues.ts';

export const TRPC_CODE: Record<DomainErrorCode, TRPC_ERROR_CODE_KEY> = {
  VALIDATION: 'BAD_REQUEST',
  NOT_FOUND: 'NOT_FOUND',
  FORBIDDEN: 'FORBIDDEN',
  UNAUTHENTICATED: 'UNAUTHORIZED',
  CONFLICT: 'CONFLICT',
  QUOTA_EXCEEDED: 'FORBIDDEN',
  PRECONDITION_FAILED: 'PRECONDITION_FAILED',
  UNSUPPORTED: 'BAD_REQUEST',
  ENGINE: 'INTERNAL_SERVER_ERROR',
};

/** What the client receives in `error.data.kaas`. */
export interface KaasErrorData {
  code: DomainErrorCode | 'INTERNAL' | 'UNAVAILABLE';
  hint?: string;
  issues?: FieldIssue[];
}

/** The domain error behind a TRPCError, if any (input validation failures become VALIDATION). */
export function domainErrorOf(error: TRPCError): DomainError | undefined {
  const cause = error.cause;
  if (cause instanceof DomainError) return cause;
  if (cause instanceof ZodError) {
    const issues = zodIssuesToFieldIssues(cause.issues);
    return new DomainError('VALIDATION', `invalid input: ${issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; ')}`, { issues });
  }
  return undefined;
}

/** Throws the TRPCError for a domain error. */
export function toTrpcError(err: DomainError): TRPCError {
  return new TRPCError({ code: TRPC_CODE[err.code], message: err.message, cause: err });
}

/** The message and hint of a request that failed because the database is unavailable. */
export const DATABASE_UNAVAILABLE = {
  message: 'database unavailable: the platform cannot reach its PostgreSQL right now',
  hint: 'retry in a moment; `--wait` and `--follow` keep watching until it is back',
} as const;

/**
 * The message and hint shown for a retryable SERVICE_UNAVAILABLE error: the database text when the
 * database is the cause, else the error's own reason (e.g. a replica shutting down ends its streams).
 */
export function unavailableReason(error: TRPCError): { message: string; hint: string } {
  if (error.message === DATABASE_UNAVAILABLE.message || isDatabaseUnavailable(error.cause) || isDatabaseUnavailable(error)) return DATABASE_UNAVAILABLE;
  return { message: error.message, hint: 'retry in a moment; clients reconnect (to another replica when there is one)' };
}

/**
 * The retryable SERVICE_UNAVAILABLE error for anything thrown because the database is unavailable
 * (connection refused, 57P01/57P03, SQLSTATE class 08, a terminated connection), else undefined.
 */
export function databaseUnavailableError(err: unknown): TRPCError | undefined {
  if (err instanceof TRPCError && err.code === 'SERVICE_UNAVAILABLE') return err;
  if (err instanceof TRPCError && err.code !== 'INTERNAL_SERVER_ERROR') return undefined;
  if (!isDatabaseUnavailable(err)) return undefined;
  return new TRPCError({ code: 'SERVICE_UNAVAILABLE', message: DATABASE_UNAVAILABLE.message, cause: err });
}
