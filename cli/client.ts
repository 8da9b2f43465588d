/**
 * The API client: tRPC over plain HTTP (`httpLink`, one request per call) under `<url>/trpc`,
 * with `Authorization: Bearer <token>` and a fresh `x-request-id` per request. `trpc` is typed by
 * `AppRouter`; `call` reaches procedures by path for routers the CLI is built against but whose
 * types it does not import (teams, tokens, targets, templates, audit).
 */
import crypto from 'node:crypto';
import { createTRPCClient, createTRPCUntypedClient, httpLink, type TRPCClient } from '@trpc/client';
import type { AppRouter } from '../api/routers/app-router.ts';
import type { Connection } from './config.ts';
import { toCliError } from './errors.ts';

export interface Api {
  readonly url: string;
  readonly trpc: TRPCClient<AppRouter>;
  /** Calls a procedure by path; the caller declares the output type it expects. */
  call<T>(type: 'query' | 'mutation', path: string, input?: unknown): Promise<T>;
  /** The request id of the last request sent. */
  lastRequestId(): string | undefined;
}

/** A client for `connection`. Errors thrown by `call` are already CliErrors with the request id. */
export function createApi(connection: Connection): Api {
  let lastRequestId: string | undefined;
  const link = () =>
    httpLink({
      url: `${connection.url}/trpc`,
      headers: () => {
        lastRequestId = crypto.randomUUID();
        return { 'x-request-id': lastRequestId, ...(connection.token ? { authorization: `Bearer ${connection.token}` } : {}) };
      },
    });
  const trpc = createTRPCClient<AppRouter>({ links: [link()] });
  const untyped = createTRPCUntypedClient({ links: [link()] });
  return {
    url: connection.url,
    trpc,
    async call<T>(type: 'query' | 'mutation', path: string, input?: unknown): Promise<T> {
      try {
        return (await (type === 'query' ? untyped.query(path, input) : untyped.mutation(path, input))) as T;
      } catch (err) {
        throw toCliError(err, { url: connection.url, requestId: lastRequestId });
      }
    },
    lastRequestId: () => lastRequestId,
  };
}
