/** API types as the client receives them (JSON-serialised), inferred from `AppRouter`. */
import type { inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from '../api/routers/app-router.ts';

type Outputs = inferRouterOutputs<AppRouter>;

export type Cluster = Outputs['clusters']['get']['cluster'];
export type Operation = Outputs['clusters']['get']['operations'][number];
export type StoredEvent = Outputs['clusters']['events']['events'][number];
export type OperationEvent = StoredEvent['event'];
