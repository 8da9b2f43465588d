/**
 * The console's tRPC client: queries and mutations over plain HTTP under `/trpc` with the
 * session cookie (same origin), every mutation carrying `x-kaas-csrf` = the `kaas_csrf` cookie;
 * subscriptions over SSE (`httpSubscriptionLink`). Typed by the `AppRouter` type only — no
 * server code enters the bundle (type imports are erased).
 */
import { createTRPCClient, getUntypedClient, httpLink, httpSubscriptionLink, splitLink, TRPCClientError } from '@trpc/client';
import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from '../../api/routers/app-router.ts';

export type Outputs = inferRouterOutputs<AppRouter>;
export type Inputs = inferRouterInputs<AppRouter>;
/** A cluster as `clusters.get` returns it. */
export type Cluster = Outputs['clusters']['get']['cluster'];
/** A row of `clusters.list`: the cluster plus its last operation. */
export type ClusterListItem = Outputs['clusters']['list']['items'][number];
export type Operation = Outputs['clusters']['get']['operations'][number];

/** The value of cookie `name`, or undefined. */
export function cookie(name: string): string | undefined {
  for (const part of document.cookie.split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return decodeURIComponent(v.join('='));
  }
  return undefined;
}

/** Called when a request answers 401: the session ended (signed out, token revoked or expired). */
let onUnauthorized: () => void = () => {};
export function setUnauthorizedHandler(fn: () => void): void {
  onUnauthorized = fn;
}

const sessionFetch: typeof fetch = async (input, init) => {
  const res = await fetch(input, { ...init, credentials: 'same-origin' });
  if (res.status === 401) onUnauthorized();
  return res;
};

export const trpc = createTRPCClient<AppRouter>({
  links: [
    splitLink({
      condition: (op) => op.type === 'subscription',
      true: httpSubscriptionLink({ url: '/trpc', eventSourceOptions: () => ({ withCredentials: true }) }),
      false: httpLink({
        url: '/trpc',
        fetch: sessionFetch,
        headers: ({ op }) => (op.type === 'mutation' ? { 'x-kaas-csrf': cookie('kaas_csrf') ?? '' } : {}),
      }),
    }),
  ],
});

/** What `operations.events` yields (web/CONTRACT.md). */
export interface OperationEventItem {
  seq: number;
  at: string;
  event: unknown;
  operation: { id: string; kind: string; status: string; step: string | null };
}
/** What `clusters.changes` yields. */
export interface ClusterChange {
  clusterId: string;
  name?: string;
  team?: string;
  status: string;
  operationId?: string;
  /** The cluster's last operation now, as `clusters.list` rows carry it. */
  lastOperation: ClusterListItem['lastOperation'];
}
/** What `fleet.campaignProgress` yields: the shape of `fleet.status`. */
export type CampaignProgress = Outputs['fleet']['status'];

interface Streams {
  'operations.events': { input: { operationId: string; after?: number }; item: OperationEventItem };
  'clusters.changes': { input: { team?: string }; item: ClusterChange };
  'fleet.campaignProgress': { input: { campaignId: string }; item: CampaignProgress };
}

/**
 * Subscribes to one of the contract's SSE streams; returns the unsubscribe function. Items
 * arrive `tracked` ({ id, data }) or bare; both are unwrapped.
 */
export function subscribe<K extends keyof Streams>(
  path: K,
  input: Streams[K]['input'],
  handlers: { onData: (item: Streams[K]['item']) => void; onError?: (err: unknown) => void; onComplete?: () => void },
): () => void {
  const sub = getUntypedClient(trpc).subscription(path, input, {
    onData: (raw: unknown) => {
      const item = raw && typeof raw === 'object' && 'data' in raw && 'id' in raw ? (raw as { data: unknown }).data : raw;
      handlers.onData(item as Streams[K]['item']);
    },
    onError: (err: unknown) => {
      if (err instanceof TRPCClientError && err.data?.code === 'UNAUTHORIZED') onUnauthorized();
      handlers.onError?.(err);
    },
    onComplete: () => handlers.onComplete?.(),
  });
  return () => sub.unsubscribe();
}

/** A field problem the API reported (`data.kaas.issues`). */
export interface FieldIssue {
  path: string;
  message: string;
}

/** The message, hint and field issues of an API error, for display. */
export function describeError(err: unknown): { message: string; hint?: string; issues: FieldIssue[] } {
  if (err instanceof TRPCClientError) {
    const kaas = (err.data as { kaas?: { hint?: string; issues?: FieldIssue[] } } | undefined)?.kaas;
    return { message: err.message, ...(kaas?.hint ? { hint: kaas.hint } : {}), issues: kaas?.issues ?? [] };
  }
  return { message: err instanceof Error ? err.message : String(err), issues: [] };
}
