/**
 * `--wait` / `--follow` use the live stream (`operations.events` over SSE) once they know the
 * operation, and fall back to polling `clusters.events` when the stream fails (a proxy that
 * blocks SSE, an older server, a dropped connection), without losing or repeating an event.
 */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../api/config.ts';
import { newId } from '../api/ids.ts';
import { createLogger } from '../api/logger.ts';
import { appendEvents } from '../api/operations/operation-events.ts';
import { startPlatform, type RunningPlatform } from '../api/platform-process.ts';
import { createApi, type Api, type StreamedEvent } from '../cli/client.ts';
import { watchOperation } from '../cli/watch.ts';
import { createEmptyDatabase } from './support/database.ts';
import { insertSimCluster } from './support/fleet.ts';
import { waitUntil } from './support/fleet.ts';

type Page = { operation: { id: string; kind: string; status: string; step: string | null }; events: { seq: number; at: string; event: { kind: 'message'; message: string } }[]; nextAfter: number };
const ev = (seq: number) => ({ seq, at: '2025-01-01T00:00:00Z', event: { kind: 'message' as const, message: `e${seq}` } });
const op = (status: string, step: string | null = null) => ({ id: 'oabcdefabcdef', kind: 'create', status, step });
const streamed = (seq: number, status: string) => ({ ...ev(seq), operation: { id: 'oabcdefabcdef', kind: 'create', status, step: null } });

/** An Api answering clusters.events from pages and operations.events from `stream`. */
function fakeApi(pages: Page[], stream: (input: { operationId: string; after: number }) => AsyncIterable<unknown>) {
  const polls: Record<string, unknown>[] = [];
  const streams: Record<string, unknown>[] = [];
  const api = {
    url: 'http://fake',
    trpc: { clusters: { events: { query: async (input: Record<string, unknown>) => (polls.push(input), pages[Math.min(polls.length - 1, pages.length - 1)]!) } } },
    streamOperationEvents: (input: { operationId: string; after: number }) => (streams.push(input), stream(input)),
    lastRequestId: () => undefined,
  } as unknown as Api;
  return { api, polls, streams };
}

describe('watchOperation with the live stream', () => {
  it('reads the operation once, streams its events, and reads the end once', async () => {
    const { api, polls, streams } = fakeApi(
      [{ operation: op('queued'), events: [ev(1)], nextAfter: 1 }, { operation: op('succeeded'), events: [], nextAfter: 3 }],
      async function* () {
        yield streamed(2, 'running');
        yield streamed(3, 'running');
      },
    );
    const order: string[] = [];
    const result = await watchOperation(api, { name: 'web' }, { intervalMs: 60_000, onEvent: (e) => order.push(e.event.message as string), onStatus: (o) => order.push(o.status) });
    expect(order).toEqual(['queued', 'e1', 'running', 'e2', 'e3', 'succeeded']);
    expect(result).toMatchObject({ interrupted: false, lastSeq: 3, operation: { status: 'succeeded' } });
    expect(streams).toEqual([{ operationId: 'oabcdefabcdef', after: 1 }]);
    expect(polls.map((p) => p.after)).toEqual([0, 3]);
  });

  it('falls back to polling when the stream cannot be opened', async () => {
    const { api, polls } = fakeApi(
      [{ operation: op('running'), events: [ev(1)], nextAfter: 1 }, { operation: op('running'), events: [ev(2)], nextAfter: 2 }, { operation: op('succeeded'), events: [ev(3)], nextAfter: 3 }],
      // eslint-disable-next-line require-yield
      async function* () {
        throw new Error('SSE refused');
      },
    );
    const seen: string[] = [];
    const result = await watchOperation(api, { name: 'web' }, { intervalMs: 1, onEvent: (e) => seen.push(e.event.message as string) });
    expect(seen).toEqual(['e1', 'e2', 'e3']);
    expect(result.operation.status).toBe('succeeded');
    expect(polls.map((p) => p.after)).toEqual([0, 1, 2]);
  });

  it('a stream that breaks midway is resumed by polling after its last event: nothing lost, nothing twice', async () => {
    const { api, polls } = fakeApi(
      [{ operation: op('running'), events: [ev(1)], nextAfter: 1 }, { operation: op('succeeded'), events: [ev(3)], nextAfter: 3 }],
      async function* () {
        yield streamed(2, 'running');
        throw new Error('connection reset');
      },
    );
    const seen: string[] = [];
    await watchOperation(api, { name: 'web' }, { intervalMs: 1, onEvent: (e) => seen.push(e.event.message as string) });
    expect(seen).toEqual(['e1', 'e2', 'e3']);
    expect(polls.map((p) => p.after)).toEqual([0, 2]);
  });
});

describe('the CLI client against the platform', () => {
  let home: string;
  let platform: RunningPlatform;
  let proxy: http.Server;
  let proxyUrl: string;

  beforeAll(async () => {
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'kaas-cli-stream-'));
    platform = await startPlatform(loadConfig({ KAAS_HOME: home, PORT: '0', KAAS_LOG_LEVEL: 'silent', DATABASE_URL: await createEmptyDatabase(), KAAS_ROLE: 'api' }), { logger: createLogger('silent'), print: () => {} });
    // a proxy in front of the platform that refuses event streams, as some corporate proxies do
    const target = new URL(platform.url!);
    proxy = http.createServer((req, res) => {
      if (req.url?.startsWith('/trpc/operations.events')) return void res.writeHead(502, { 'content-type': 'text/plain' }).end('streaming not allowed');
      const upstream = http.request({ host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers }, (r) => {
        res.writeHead(r.statusCode ?? 502, r.headers);
        r.pipe(res);
      });
      req.pipe(upstream);
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    proxyUrl = `http://127.0.0.1:${(proxy.address() as { port: number }).port}`;
    const r = await fetch(`${platform.url}/trpc/teams.create`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${platform.adminToken}` }, body: JSON.stringify({ name: 'payments' }) });
    expect(r.status).toBe(200);
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => proxy?.close(() => resolve()));
    await platform?.stop();
    fs.rmSync(home, { recursive: true, force: true });
  });

  /** A running operation with one event; `finish` appends two more and ends it. */
  async function runningOperation(name: string) {
    const db = platform.services.db;
    const clusterId = await insertSimCluster(db, { team: 'payments', name, version: '1.32' });
    const id = newId('o');
    await db.insertInto('operations').values({ id, cluster_id: clusterId, kind: 'update', status: 'running', actor: 'test', request_id: 'r1' }).execute();
    await appendEvents(db, id, [{ kind: 'message', message: 'first' }]);
    return {
      id,
      finish: async () => {
        await appendEvents(db, id, [{ kind: 'message', message: 'second' }, { kind: 'message', message: 'third' }]);
        await db.updateTable('operations').set({ status: 'succeeded', finished_at: new Date() }).where('id', '=', id).execute();
      },
    };
  }

  it('--wait uses operations.events over SSE: two reads of clusters.events in all, however long it runs', async () => {
    const operation = await runningOperation('streamed');
    const trace: string[] = [];
    const api = createApi({ url: platform.url!, token: platform.adminToken! }, (line) => trace.push(line));
    const seen: string[] = [];
    const watching = watchOperation(api, { team: 'payments', name: 'streamed', operationId: operation.id }, { intervalMs: 3_600_000, onEvent: (e) => seen.push((e.event as { message: string }).message) });
    await waitUntil(async () => trace.filter((l) => l.startsWith('subscription operations.events')).length, (n) => n === 1, 'the stream to open', 30_000);
    await operation.finish();
    const result = await watching;
    expect(seen).toEqual(['first', 'second', 'third']);
    expect(result.operation.status).toBe('succeeded');
    expect(trace.filter((l) => l.startsWith('query clusters.events')).length).toBe(2);
  });

  it('falls back to polling when the stream is refused on the way (a proxy answering 502)', async () => {
    const operation = await runningOperation('proxied');
    const trace: string[] = [];
    const api = createApi({ url: proxyUrl, token: platform.adminToken! }, (line) => trace.push(line));
    const seen: string[] = [];
    const watching = watchOperation(api, { team: 'payments', name: 'proxied', operationId: operation.id }, { intervalMs: 20, onEvent: (e) => seen.push((e.event as { message: string }).message) });
    await waitUntil(async () => trace.filter((l) => l.startsWith('query clusters.events')).length, (n) => n >= 3, 'polling to go on', 30_000);
    await operation.finish();
    const result = await watching;
    expect(seen).toEqual(['first', 'second', 'third']);
    expect(result.operation.status).toBe('succeeded');
    expect(trace.filter((l) => l.startsWith('subscription operations.events')).length).toBe(1);
  });
});

export type { StreamedEvent };
