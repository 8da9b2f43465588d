/**
 * The HTTP server: tRPC under /trpc, the web console at / (api/web/serve-console.ts) with its sign-in under /auth/, plus /healthz (the process is up), /readyz (the database
 * answers), /version (public, like Kubernetes' own `/version`) and /metrics (Prometheus text format). Request bodies are capped. Batching is off
 * (the CLI sends one call per request with `httpLink`), so every call is authenticated on its
 * own, and each request is counted against its caller's rate limit (`rate-limit.ts`). Each API
 * request gets one access log line, with the request id it echoes in `X-Request-Id`.
 */
import crypto from 'node:crypto';
import http from 'node:http';
import { createHTTPHandler } from '@trpc/server/adapters/standalone';
import { sql } from 'kysely';
import { createHttpContext, requestIdOf, type Services } from './context.ts';
import { databaseUnavailableError } from './errors.ts';
import { logScope } from './logger.ts';
import type { Metrics } from './metrics.ts';
import { RateLimiter } from './rate-limit.ts';
import { appRouter } from './routers/app-router.ts';
import { KAAS_VERSION } from '../platform/version.ts';
import { readCookies, SESSION_COOKIE } from './web/cookies.ts';
import { consoleHandler } from './web/serve-console.ts';
import { handleAuthRequest } from './web/session-routes.ts';
import { handleSsoRequest } from './web/sso-routes.ts';

export const MAX_BODY_BYTES = 256 * 1024;

const PROCEDURES = new Set(Object.keys(appRouter._def.procedures));

/** The rate-limit key of a request: a hash of its bearer token (or console session cookie), or its remote address when it has none. */
function callerKey(req: http.IncomingMessage): string {
  const auth = req.headers.authorization;
  const token = auth?.startsWith('Bearer ') ? auth.slice(7).trim() : '';
  if (token) return `token:${crypto.createHash('sha256').update(token).digest('base64url')}`;
  const session = req.method === 'POST' && req.url?.startsWith('/auth/') ? undefined : readCookies(req).get(SESSION_COOKIE);
  return session ? `session:${crypto.createHash('sha256').update(session).digest('base64url')}` : `anonymous:${req.socket.remoteAddress ?? 'unknown'}`;
}

/** The 429 answer, shaped like any other tRPC error so the CLI shows its message and hint. */
function tooManyRequests(res: http.ServerResponse, retryAfterSeconds: number): void {
  const message = `too many requests: this token (or address) is limited; retry in ${retryAfterSeconds} s`;
  const body = {
    error: {
      message,
      code: -32029,
      data: { code: 'TOO_MANY_REQUESTS', httpStatus: 429, kaas: { code: 'TOO_MANY_REQUESTS', hint: 'slow down; the limit is set with KAAS_RATE_LIMIT_PER_SECOND and KAAS_RATE_LIMIT_BURST on the server' } },
    },
  };
  res.writeHead(429, { 'content-type': 'application/json', 'retry-after': String(retryAfterSeconds) }).end(JSON.stringify(body));
}

/** Answers /healthz, /readyz and /metrics; false for any other path. */
async function serveProbe(url: string, res: http.ServerResponse, services: Services, metrics: Metrics): Promise<boolean> {
  if (url === '/healthz') {
    res.writeHead(200, { 'content-type': 'text/plain' }).end('ok\n');
    return true;
  }
  if (url === '/readyz') {
    try {
      await sql`select 1`.execute(services.db);
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ready\n');
    } catch {
      res.writeHead(503, { 'content-type': 'text/plain' }).end('database unavailable\n');
    }
    return true;
  }
  if (url === '/metrics') {
    const body = await metrics.registry.metrics();
    res.writeHead(200, { 'content-type': metrics.registry.contentType }).end(body);
    return true;
  }
  return false;
}

/** The worker role's listener: the same /healthz, /readyz and /metrics as the API, and nothing else (Kubernetes probes, Prometheus). */
export function createProbeServer(services: Services, metrics: Metrics): http.Server {
  return http.createServer(async (req, res) => {
    if (!(await serveProbe(req.url ?? '/', res, services, metrics))) res.writeHead(404, { 'content-type': 'text/plain' }).end('not found: a worker serves only /healthz, /readyz and /metrics\n');
  });
}

export function createServer(services: Services, metrics: Metrics): http.Server {
  const limiter = new RateLimiter(services.config.rateLimit);
  const trpc = createHTTPHandler({
    router: appRouter,
    basePath: '/trpc/',
    allowBatching: false,
    maxBodySize: MAX_BODY_BYTES,
    // the token lookup is the first query of a request: during an outage it answers 503 too
    createContext: ({ req }) =>
      createHttpContext(services, req).catch((err: unknown) => {
        throw databaseUnavailableError(err) ?? err;
      }),
    onError: ({ error, path, ctx }) => {
      if (error.code === 'INTERNAL_SERVER_ERROR') (ctx?.services ?? services).logger.error({ err: error.cause ?? error, path }, 'request failed');
    },
  });
  const serveConsole = consoleHandler(services.config.webDir);
  return http.createServer(async (req, res) => {
    const url = req.url ?? '/';
    if (await serveProbe(url, res, services, metrics)) return;
    if (url === '/version') return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ version: KAAS_VERSION }) + '\n');
    if (url.startsWith('/auth/')) {
      const limited = limiter.take(callerKey(req));
      if (limited) return tooManyRequests(res, limited.retryAfterSeconds);
      const reqId = requestIdOf(req);
      res.setHeader('x-request-id', reqId);
      return (url.startsWith('/auth/sso/') ? handleSsoRequest : handleAuthRequest)(services, req, res, reqId).catch((err: unknown) => {
        services.logger.error({ err, reqId }, 'sign-in request failed');
        if (!res.headersSent) res.writeHead(503, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify({ error: { message: `the platform could not answer (request ${reqId})`, hint: 'retry in a moment' } }));
      });
    }
    if (url === '/trpc' || url.startsWith('/trpc?')) return void res.writeHead(404, { 'content-type': 'text/plain' }).end('not found: the API is under /trpc/<procedure>\n');
    if (!url.startsWith('/trpc/')) return serveConsole(req, res);
    const path = url.slice(6).split('?')[0]!;
    const procedure = PROCEDURES.has(path) ? path : 'other'; // bounded label values
    // one id for the request's context (its log lines, audit rows) and its access line
    const reqId = requestIdOf(req);
    req.headers['x-request-id'] = reqId;
    res.setHeader('x-request-id', reqId);
    // API answers carry secrets (a kubeconfig) and per-caller data: never cached, never sniffed
    res.setHeader('cache-control', 'no-store');
    res.setHeader('x-content-type-options', 'nosniff');
    const end = metrics.httpDuration.startTimer({ procedure });
    res.once('finish', () => {
      const seconds = end();
      metrics.httpRequests.inc({ procedure, status: String(res.statusCode) });
      services.logger.info({ reqId, procedure, status: res.statusCode, ms: Math.round(seconds * 1000) }, 'request');
    });
    const limited = limiter.take(callerKey(req));
    if (limited) return tooManyRequests(res, limited.retryAfterSeconds);
    logScope.run({ reqId }, () => trpc(req, res));
  });
}
