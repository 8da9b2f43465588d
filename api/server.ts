/**
 * The HTTP server: tRPC under /trpc, plus /healthz (the process is up), /readyz (the database
 * answers) and /metrics (Prometheus text format). Request bodies are capped.
 */
import http from 'node:http';
import { createHTTPHandler } from '@trpc/server/adapters/standalone';
import { sql } from 'kysely';
import { createHttpContext, type Services } from './context.ts';
import { databaseUnavailableError } from './errors.ts';
import type { Metrics } from './metrics.ts';
import { appRouter } from './routers/app-router.ts';

export const MAX_BODY_BYTES = 256 * 1024;

const PROCEDURES = new Set(Object.keys(appRouter._def.procedures));

export function createServer(services: Services, metrics: Metrics): http.Server {
  const trpc = createHTTPHandler({
    router: appRouter,
    basePath: '/trpc/',
    maxBodySize: MAX_BODY_BYTES,
    // the token lookup is the first query of a request: during an outage it answers 503 too
    createContext: ({ req }) =>
      createHttpContext(services, req).catch((err: unknown) => {
        throw databaseUnavailableError(err) ?? err;
      }),
    onError: ({ error, path }) => {
      if (error.code === 'INTERNAL_SERVER_ERROR') services.logger.error({ err: error.cause ?? error, path }, 'request failed');
    },
  });
  return http.createServer(async (req, res) => {
    const url = req.url ?? '/';
    if (url === '/healthz') return void res.writeHead(200, { 'content-type': 'text/plain' }).end('ok\n');
    if (url === '/readyz') {
      try {
        await sql`select 1`.execute(services.db);
        return void res.writeHead(200, { 'content-type': 'text/plain' }).end('ready\n');
      } catch {
        return void res.writeHead(503, { 'content-type': 'text/plain' }).end('database unavailable\n');
      }
    }
    if (url === '/metrics') {
      const body = await metrics.registry.metrics();
      return void res.writeHead(200, { 'content-type': metrics.registry.contentType }).end(body);
    }
    if (!url.startsWith('/trpc/')) return void res.writeHead(404, { 'content-type': 'text/plain' }).end('not found: the API is under /trpc\n');
    const path = url.slice(6).split('?')[0]!;
    const procedure = PROCEDURES.has(path) ? path : 'other'; // bounded label values
    const end = metrics.httpDuration.startTimer({ procedure });
    res.once('finish', () => {
      end();
      metrics.httpRequests.inc({ procedure, status: String(res.statusCode) });
    });
    trpc(req, res);
  });
}
