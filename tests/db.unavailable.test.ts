/**
 * A database outage as the API and the event log see it: requests fail with a retryable
 * "database unavailable" (SERVICE_UNAVAILABLE, HTTP 503, kaas code UNAVAILABLE, CLI exit 8), not
 * an internal error; events that could not be written leave a gap marker once writing works again.
 */
import fs from 'node:fs';
import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { Kysely, PostgresDialect } from 'kysely';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../api/auth/tokens.ts';
import { SHIPPED_TEMPLATES_DIR } from '../api/bootstrap.ts';
import { connect, type OpenDatabase } from '../api/db/database.ts';
import type { Database } from '../api/db/schema.ts';
import { createContextInner, type Services } from '../api/context.ts';
import { newId } from '../api/ids.ts';
import { createMetrics } from '../api/metrics.ts';
import { EventWriter, readEvents } from '../api/operations/operation-events.ts';
import { appRouter } from '../api/routers/app-router.ts';
import { createServer } from '../api/server.ts';
import { createCallerFactory } from '../api/trpc.ts';
import { toCliError } from '../cli/errors.ts';
import { EXIT } from '../cli/exit-codes.ts';
import { expectTrpcError } from './support/errors.ts';
import { insertSimCluster } from './support/fleet.ts';
import { testPlatform, type TestPlatform } from './support/services.ts';
import { TRPCClientError } from '@trpc/client';

const createCaller = createCallerFactory(appRouter);
/** Nothing listens on port 1: every connection is refused, as during an outage. */
const DOWN_URL = 'postgres://kaas@127.0.0.1:1/kaas';

describe('database unavailable', () => {
  let p: TestPlatform;
  let admin: Actor & { token: string };
  let down: OpenDatabase;
  let downServices: Services;
  beforeAll(async () => {
    p = await testPlatform();
    admin = await p.actor('root', 'platform-admin', null);
    down = connect(DOWN_URL);
    downServices = { ...p.services, db: down.db };
  });
  afterAll(async () => {
    await down.close();
    await p.close();
  });

  it('a procedure answers SERVICE_UNAVAILABLE "database unavailable", not an internal error', async () => {
    const caller = createCaller(createContextInner({ services: downServices, actor: admin }));
    await expectTrpcError(caller.templates.list(), 'SERVICE_UNAVAILABLE', /^database unavailable/);
    await expectTrpcError(caller.templates.publish({ yaml: fs.readFileSync(path.join(SHIPPED_TEMPLATES_DIR, 'sim-dev.yaml'), 'utf8') }), 'SERVICE_UNAVAILABLE', /^database unavailable/);
  });

  it('over HTTP (the token lookup fails too): 503 with kaas code UNAVAILABLE, which the CLI maps to exit 8', async () => {
    const server: http.Server = createServer(downServices, createMetrics(down.db));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const res = await fetch(`http://127.0.0.1:${port}/trpc/templates.list`, { headers: { authorization: `Bearer ${admin.token}` } });
      const body = (await res.json()) as { error: { message: string; data: { code: string; httpStatus: number; kaas: { code: string; hint?: string } } } };
      expect(res.status).toBe(503);
      expect(body.error.message).toMatch(/^database unavailable/);
      expect(body.error.data).toMatchObject({ code: 'SERVICE_UNAVAILABLE', httpStatus: 503, kaas: { code: 'UNAVAILABLE' } });
      const cli = toCliError(new TRPCClientError(body.error.message, { result: { error: { code: -32603, ...body.error } } as never }));
      expect({ code: cli.code, exitCode: cli.exitCode }).toEqual({ code: 'UNAVAILABLE', exitCode: EXIT.UNAVAILABLE });
      expect(EXIT.UNAVAILABLE).toBe(8);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('EventWriter: events that could not be written leave a gap marker once the database is back', async () => {
    // a kysely over the real pool that refuses connections while `outage` is on
    let outage = false;
    const real = connect(p.config.databaseUrl!);
    const flaky = {
      connect: async () => {
        if (outage) throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
        return real.pool.connect();
      },
      end: () => real.pool.end(),
    } as unknown as pg.Pool;
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: flaky }) });
    await p.team('gaps');
    const opId = await insertOperation(p, 'gaps');
    const writer = new EventWriter(db, opId, 60_000);
    writer.push({ kind: 'message', message: 'before' });
    await writer.flush();
    outage = true;
    writer.push({ kind: 'message', message: 'lost 1' });
    writer.push({ kind: 'message', message: 'lost 2' });
    await writer.flush();
    writer.push({ kind: 'message', message: 'lost 3' });
    await writer.flush();
    outage = false;
    writer.push({ kind: 'message', message: 'after' });
    await writer.flush();
    const events = await readEvents(p.services.db, opId, 0, 100);
    expect(events.map((e) => ('message' in e.event ? e.event.message : e.event.kind))).toEqual(['before', '3 events lost while the database was unavailable', 'after']);
    expect(events.map((e) => e.seq)).toEqual([1, 2, 3]);
    await db.destroy();
  });
});

/** A cluster and one running operation of team `team`, as the worker would see it. */
async function insertOperation(p: TestPlatform, team: string): Promise<string> {
  const clusterId = await insertSimCluster(p.services.db, { team, name: 'gappy', version: '1.33', status: 'provisioning' });
  const id = newId('o');
  await p.services.db.insertInto('operations').values({ id, cluster_id: clusterId, kind: 'create', status: 'running', step: null, actor: 'test', request_id: 'r', input: JSON.stringify({}), result: null, error: null }).execute();
  return id;
}
