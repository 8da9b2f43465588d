/**
 * The API client: tRPC over plain HTTP (`httpLink`, one request per call) under `<url>/trpc`, and
 * subscriptions (live streams) over SSE (`httpSubscriptionLink` with a node:http EventSource),
 * with `Authorization: Bearer <token>` and a fresh `x-request-id` per request, typed by
 * `AppRouter`. Every call goes through one untyped client whose `query`/`mutation` turn failures
 * into CliErrors carrying the request id, so commands never map errors themselves.
 */
import crypto from 'node:crypto';
import { createTRPCClientProxy, httpLink, httpSubscriptionLink, splitLink, TRPCUntypedClient, type CreateTRPCClientOptions, type TRPCClient, type TRPCRequestOptions } from '@trpc/client';
import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from '../api/routers/app-router.ts';
import type { Connection } from './config.ts';
import { toCliError, type ErrorContext } from './errors.ts';
import { NodeEventSource } from './event-source.ts';
import { httpFetch } from './http-fetch.ts';

/** One event of `operations.events` (the live stream): the stored event and the operation's state. */
export type StreamedEvent = inferRouterOutputs<AppRouter>['operations']['events'] extends AsyncIterable<infer T> ? (T extends { data: infer D } ? D : T) : never;
type StreamInput = inferRouterInputs<AppRouter>['operations']['events'];

export interface Api {
  readonly url: string;
  /** The typed client; its calls reject with CliErrors (exit code, hint, request id). */
  readonly trpc: TRPCClient<AppRouter>;
  /** The request id of the last request sent. */
  lastRequestId(): string | undefined;
  /**
   * An operation's events live (`operations.events` over SSE) until it ends; the iteration throws
   * when the stream fails in any way (the caller falls back to polling). Absent: poll only.
   */
  streamOperationEvents?(input: StreamInput, signal?: AbortSignal): AsyncIterable<StreamedEvent>;
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

/** A subscription of `client` as an async iterable; `signal` (or leaving the loop) unsubscribes. */
async function* subscription<T>(client: TRPCUntypedClient<AppRouter>, path: string, input: unknown, signal?: AbortSignal): AsyncGenerator<T> {
  const queue: T[] = [];
  let end: { error?: unknown } | undefined;
  let wake: (() => void) | undefined;
  const notify = () => wake?.();
  const sub = client.subscription(path, input, {
    onData: (value) => (queue.push(value as T), notify()),
    onError: (error) => ((end = { error }), notify()),
    onComplete: () => ((end ??= {}), notify()),
  });
  signal?.addEventListener('abort', () => ((end ??= {}), notify()), { once: true });
  try {
    for (;;) {
      while (queue.length) yield queue.shift()!;
      if (end) {
        if (end.error !== undefined) throw end.error;
        return;
      }
      await new Promise<void>((resolve) => (wake = resolve));
      wake = undefined;
    }
  } finally {
    sub.unsubscribe();
  }
}

/** A client for `connection`; `trace` gets one line per request (-v). */
export function createApi(connection: Connection, trace?: (line: string) => void): Api {
  let lastRequestId: string | undefined;
  // an SSO context's token is renewed first when it has expired (once per client)
  let bearer: Promise<string | undefined> | undefined;
  const auth = async (): Promise<Record<string, string>> => {
    const token = connection.sso ? await (bearer ??= import('./sso/refresh.ts').then((m) => m.currentSsoToken(connection))) : connection.token;
    return token ? { authorization: `Bearer ${token}` } : {};
  };
  const streamLink = httpSubscriptionLink({
    url: `${connection.url}/trpc`,
    EventSource: NodeEventSource,
    eventSourceOptions: async ({ op }) => {
      const requestId = (lastRequestId = crypto.randomUUID());
      trace?.(`${op.type} ${op.path} → ${connection.url}/trpc (request id ${requestId})`);
      return { headers: { 'x-request-id': requestId, ...(await auth()) } };
    },
  });
  const link = httpLink({
    url: `${connection.url}/trpc`,
    fetch: httpFetch as unknown as typeof fetch, // node:http, not undici: faster CLI start
    headers: async ({ op }) => {
      const requestId = (lastRequestId = crypto.randomUUID());
      trace?.(`${op.type} ${op.path} → ${connection.url}/trpc (request id ${requestId})`);
      return { 'x-request-id': requestId, ...(await auth()) };
    },
  });
  const client = new CliErrorClient({ links: [splitLink({ condition: (op) => op.type === 'subscription', true: streamLink, false: link })] }, () => ({ url: connection.url, requestId: lastRequestId }));
  return {
    url: connection.url,
    trpc: createTRPCClientProxy<AppRouter>(client),
    lastRequestId: () => lastRequestId,
    async *streamOperationEvents(input, signal) {
      // each event is tracked by its seq: the link hands over { id, data }
      for await (const tracked of subscription<{ id: string; data: StreamedEvent }>(client, 'operations.events', input, signal)) yield tracked.data;
    },
  };
}
