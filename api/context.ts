/**
 * The request context. `createContextInner` builds it without HTTP (router tests call it with an
 * actor directly); `createHttpContext` resolves the bearer token and request id of a request.
 */
import crypto from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Engine } from '../stacks/engine/engine.ts';
import { authenticate, type Actor } from './auth/tokens.ts';
import type { Config } from './config.ts';
import type { Db } from './db/schema.ts';
import type { Logger } from './logger.ts';
import type { OperationMetrics } from './metrics.ts';
import type { OperationQueue } from './queue/operation-queue.ts';
import type { LiveVersionSource } from './versions/live-versions.ts';

/** Long-lived dependencies shared by every request. */
export interface Services {
  db: Db;
  queue: OperationQueue;
  engine: Engine;
  config: Readonly<Config>;
  logger: Logger;
  /** Reads a target cloud's live Kubernetes version list (`versions.list --target`); absent: the static calendar only. */
  versionSource?: LiveVersionSource;
  /** Where the worker observes operation durations and queue wait (absent: not observed). */
  metrics?: OperationMetrics;
}

export interface Context {
  services: Services;
  actor: Actor | undefined;
  requestId: string;
}

export function createContextInner(opts: { services: Services; actor?: Actor; requestId?: string }): Context {
  return { services: opts.services, actor: opts.actor, requestId: opts.requestId ?? crypto.randomUUID() };
}

const REQUEST_ID = /^[A-Za-z0-9._-]{1,100}$/;

/** The request id of `req`: its `X-Request-Id` when well-formed, else a new one. */
export function requestIdOf(req: IncomingMessage): string {
  const header = req.headers['x-request-id'];
  return typeof header === 'string' && REQUEST_ID.test(header) ? header : crypto.randomUUID();
}

/** Context of one HTTP request: `Authorization: Bearer <token>` and `X-Request-Id`. */
export async function createHttpContext(services: Services, req: IncomingMessage): Promise<Context> {
  const requestId = requestIdOf(req);
  const auth = req.headers.authorization;
  const token = auth?.startsWith('Bearer ') ? auth.slice(7).trim() : undefined;
  const actor = token ? await authenticate(services.db, token) : undefined;
  return createContextInner({ services, requestId, ...(actor ? { actor } : {}) });
}
