/**
 * The API client: tRPC over plain HTTP (`httpLink`, one request per call) under `<url>/trpc`,
 * with `Authorization: Bearer <token>` and a fresh `x-request-id` per request, typed by
 * `AppRouter`. Every call goes through one untyped client whose `query`/`mutation` turn failures
 * into CliErrors carrying the request id, so commands never map errors themselves.
 */
import crypto from 'node:crypto';
import { createTRPCClientProxy, httpLink, TRPCUntypedClient, type CreateTRPCClientOptions, type TRPCClient, type TRPCRequestOptions } from '@trpc/client';
import type { AppRouter } from '../api/routers/app-router.ts';
import type { Connection } from './config.ts';
import { toCliError, type ErrorContext } from './errors.ts';
import { httpFetch } from './http-fetch.ts';

export interface Api {
  readonly url: string;
  /** The typed client; its calls reject with CliErrors (exit code, hint, request id). */
  readonly trpc: TRPCClient<AppRouter>;
  /** The request id of the last request sent. */
  lastRequestId(): string | undefined;
}

/** An untyped client whose calls reject with CliErrors instead of TRPCClientErrors. */
class CliErrorClient extends TRPCUntypedClient<AppRouter> {
  readonly #context: () => ErrorContext;

  constructor(opts: CreateTRPCClientOptions<AppRouter>, context: () => ErrorContext) {
    super(opts);
    this.#context = context;
  }

  override async query(path: string, input?: unknown, opts?: TRPCRequestOptions): Promise<unknown> {
    try {
      return await super.query(path, input, opts);
    } catch (err) {
      throw toCliError(err, this.#context());
    }
  }

  override async mutation(path: string, input?: unknown, opts?: TRPCRequestOptions): Promise<unknown> {
    try {
      return await super.mutation(path, input, opts);
    } catch (err) {
      throw toCliError(err, this.#context());
    }
  }
}

/** A client for `connection`; `trace` gets one line per request (-v). */
export function createApi(connection: Connection, trace?: (line: string) => void): Api {
  let lastRequestId: string | undefined;
  const link = httpLink({
    url: `${connection.url}/trpc`,
    fetch: httpFetch as unknown as typeof fetch, // node:http, not undici: faster CLI start
    headers: ({ op }) => {
      lastRequestId = crypto.randomUUID();
      trace?.(`${op.type} ${op.path} → ${connection.url}/trpc (request id ${lastRequestId})`);
      return { 'x-request-id': lastRequestId, ...(connection.token ? { authorization: `Bearer ${connection.token}` } : {}) };
    },
  });
  const client = new CliErrorClient({ links: [link] }, () => ({ url: connection.url, requestId: lastRequestId }));
  return { url: connection.url, trpc: createTRPCClientProxy<AppRouter>(client), lastRequestId: () => lastRequestId };
}
