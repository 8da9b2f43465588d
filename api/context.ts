/**
 * The request context. `createContextInner` builds it without HTTP (router tests call it with an
 * actor directly); `createHttpContext` resolves the bearer token and request id of a request.
 */
import crypto from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Engine } from '../stacks/engine/engine.ts';
import { authenticateSession, csrfMatches } from './auth/sessions.ts';
import { looksLikeJwt } from './auth/oidc-verifier.ts';
import { ssoActor } from './auth/sso-actor.ts';
import { authenticate, type Actor } from './auth/tokens.ts';
import type { Config } from './config.ts';
import type { Db } from './db/schema.ts';
import { toTrpcError } from './errors.ts';
import type { ChangeFeed } from './events/change-feed.ts';
import type { Logger } from './logger.ts';
import type { OperationMetrics } from './metrics.ts';
import type { OperationQueue } from './queue/operation-queue.ts';
import type { LiveVersionSource } from './versions/live-versions.ts';
import { CSRF_COOKIE, CSRF_HEADER, readCookies, SESSION_COOKIE } from './web/cookies.ts';
import { DomainError } from '../platform/errors.ts';

/** Long-lived dependencies shared by every request. */
import type { ClusterProbeFactory } from './worker/health/cluster-probe-for.ts';
import type { ControlPlanePowerFactory } from './worker/power/control-plane-power-for.ts';

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
  /** Database change notifications for live streams (subscriptions); absent: streams are refused. */
  changes?: ChangeFeed;
  /** How a cluster's health and preflight signals are read (upgrade gates); absent: `clusterProbeFor`, the cloud's own reader. Tests with a fake engine give one that matches their fake cloud. */
  clusterProbe?: ClusterProbeFactory;
  /** How a cluster's control plane is stopped and started (AKS hibernation); absent: `controlPlanePowerFor`, the cloud's own client. Tests inject a fake. */
  controlPlanePower?: ControlPlanePowerFactory;
  /** The platform's clock for rules that read the time (TTL, hibernation schedules, blue-green rollback windows); absent: the wall clock. Tests inject one. */
  clock?: () => Date;
}

export interface Context {
  services: Services;
  actor: Actor | undefined;
  requestId: string;
  /** The console session the actor signed in with (cookie auth); undefined for a bearer token. */
  sessionId?: string | undefined;
}

export function createContextInner(opts: { services: Services; actor?: Actor; requestId?: string; sessionId?: string }): Context {
  return { services: opts.services, actor: opts.actor, requestId: opts.requestId ?? crypto.randomUUID(), ...(opts.sessionId ? { sessionId: opts.sessionId } : {}) };
}

const REQUEST_ID = /^[A-Za-z0-9._-]{1,100}$/;

/** The request id of `req`: its `X-Request-Id` when well-formed, else a new one. */
export function requestIdOf(req: IncomingMessage): string {
  const header = req.headers['x-request-id'];
  return typeof header === 'string' && REQUEST_ID.test(header) ? header : crypto.randomUUID();
}

/**
 * Context of one HTTP request: `Authorization: Bearer <token>` (the CLI) or else the console's
 * session cookie, and `X-Request-Id`. With the cookie, anything but GET (every mutation) must
 * carry the session's CSRF value in `x-kaas-csrf`, equal to the `kaas_csrf` cookie: 403 otherwise.
 */
export async function createHttpContext(services: Services, req: IncomingMessage): Promise<Context> {
  const requestId = requestIdOf(req);
  const auth = req.headers.authorization;
  const token = auth?.startsWith('Bearer ') ? auth.slice(7).trim() : undefined;
  if (token) {
    // an OIDC JWT instead of an API token: verified and mapped through the group rules each request
    if (looksLikeJwt(token)) {
      if (!services.config.oidc) {
        throw toTrpcError(new DomainError('UNAUTHENTICATED', 'this platform has no single sign-on configured: a JWT is not accepted as a bearer token', { hint: 'use a kaas API token (`kaas login --url URL --token TOKEN`), or ask the operator to set KAAS_OIDC_ISSUER and KAAS_OIDC_CLIENT_ID' }));
      }
      const actor = await ssoActor(services.db, services.config.oidc, token).catch((err: unknown) => {
        throw err instanceof DomainError ? toTrpcError(err) : err;
      });
      return createContextInner({ services, requestId, actor });
    }
    const actor = await authenticate(services.db, token);
    return createContextInner({ services, requestId, ...(actor ? { actor } : {}) });
  }
  const cookies = readCookies(req);
  const secret = cookies.get(SESSION_COOKIE);
  const session = secret ? await authenticateSession(services.db, secret) : undefined;
  if (!session) return createContextInner({ services, requestId });
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    const header = req.headers[CSRF_HEADER];
    const presented = typeof header === 'string' ? header : undefined;
    if (!presented || presented !== cookies.get(CSRF_COOKIE) || !csrfMatches(session, presented)) {
      throw toTrpcError(
        new DomainError('FORBIDDEN', `missing or wrong ${CSRF_HEADER} header: a signed-in console request that changes something must send the ${CSRF_COOKIE} cookie's value in it`, {
          hint: `reload the console (it sends ${CSRF_HEADER} itself); a script should use an API token with Authorization: Bearer instead of the session cookie`,
        }),
      );
    }
  }
  return createContextInner({ services, requestId, actor: session.actor, sessionId: session.sessionId });
}
