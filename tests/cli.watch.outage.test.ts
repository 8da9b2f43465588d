/**
 * `--wait` / `--follow` across an outage: polls that fail because the database (or the API) is
 * unavailable are retried with backoff and a one-line notice, and the watch goes on to the
 * operation's end; other errors still end the watch at once.
 */
import { TRPCClientError } from '@trpc/client';
import { describe, expect, it } from 'vitest';
import type { Api } from '../cli/client.ts';
import { CliError, toCliError } from '../cli/errors.ts';
import { EXIT } from '../cli/exit-codes.ts';
import { watchOperation } from '../cli/watch.ts';

type Page = { operation: { id: string; kind: string; status: string; step: string | null }; events: { seq: number; at: string; event: { kind: 'message'; message: string } }[]; nextAfter: number };
type Answer = Page | Error;

/** The API's answer during a database outage, as the CLI's client turns it into a CliError. */
const dbUnavailable = () =>
  toCliError(new TRPCClientError('database unavailable: the platform cannot reach its PostgreSQL right now', { result: { error: { code: -32603, message: 'database unavailable', data: { code: 'SERVICE_UNAVAILABLE', httpStatus: 503, kaas: { code: 'UNAVAILABLE' } } } } as never }));
/** fetch failing with ECONNREFUSED: the API process itself is down (restarting). */
const apiDown = () => Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:8080'), { code: 'ECONNREFUSED' }) });
const notFound = () => toCliError(new TRPCClientError('cluster x does not exist', { result: { error: { code: -32004, message: 'nope', data: { code: 'NOT_FOUND', httpStatus: 404, kaas: { code: 'NOT_FOUND' } } } } as never }));

function fakeApi(answers: Answer[]) {
  let calls = 0;
  const api = {
    url: 'http://fake',
    trpc: {
      clusters: {
        events: {
          query: async () => {
            const a = answers[Math.min(calls++, answers.length - 1)]!;
            if (a instanceof Error) throw a;
            return a;
          },
        },
      },
    },
    lastRequestId: () => undefined,
  } as unknown as Api;
  return { api, calls: () => calls };
}

const op = (status: string) => ({ id: 'oabcdefabcdef', kind: 'create', status, step: null });
const ev = (seq: number) => ({ seq, at: '2025-01-01T00:00:00Z', event: { kind: 'message' as const, message: `e${seq}` } });

describe('watchOperation during an outage', () => {
  it('keeps watching with backoff through failed polls and ends with the operation', async () => {
    const { api, calls } = fakeApi([
      { operation: op('running'), events: [ev(1)], nextAfter: 1 },
      dbUnavailable(),
      dbUnavailable(),
      apiDown(),
      dbUnavailable(),
      { operation: op('running'), events: [ev(2)], nextAfter: 2 },
      { operation: op('succeeded'), events: [ev(3)], nextAfter: 3 },
    ]);
    const notices: string[] = [];
    const seen: number[] = [];
    const result = await watchOperation(api, { name: 'x' }, { onEvent: (e) => seen.push(e.seq), onNotice: (line) => notices.push(line), intervalMs: 1, retryDelayMs: 1 });
    expect(result).toMatchObject({ operation: { status: 'succeeded' }, interrupted: false, lastSeq: 3 });
    expect(seen).toEqual([1, 2, 3]);
    expect(calls()).toBe(7);
    // one notice when the outage starts, one when the watch is back
    expect(notices).toEqual(['database unavailable: still watching, retrying with backoff (Ctrl-C stops watching; the operation goes on)', 'reconnected: watching again']);
  });

  it('says "cannot reach the API" when the API itself is down', async () => {
    const { api } = fakeApi([apiDown(), { operation: op('succeeded'), events: [], nextAfter: 0 }]);
    const notices: string[] = [];
    await watchOperation(api, { name: 'x' }, { onEvent: () => undefined, onNotice: (l) => notices.push(l), intervalMs: 1, retryDelayMs: 1 });
    expect(notices[0]).toMatch(/^cannot reach the kaas API at http:\/\/fake: still watching/);
  });

  it('still stops at once on an error that is not an outage', async () => {
    const { api, calls } = fakeApi([{ operation: op('running'), events: [], nextAfter: 0 }, notFound()]);
    const err = await watchOperation(api, { name: 'x' }, { onEvent: () => undefined, onNotice: () => undefined, intervalMs: 1, retryDelayMs: 1 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CliError);
    expect((err as CliError).exitCode).toBe(EXIT.NOT_FOUND);
    expect(calls()).toBe(2);
  });

  it('Ctrl-C during an outage stops watching, reporting the last known state', async () => {
    const controller = new AbortController();
    const { api } = fakeApi([{ operation: op('running'), events: [], nextAfter: 0 }, dbUnavailable()]);
    const result = await watchOperation(api, { name: 'x' }, { onEvent: () => undefined, onNotice: () => controller.abort(), signal: controller.signal, intervalMs: 1, retryDelayMs: 60_000 });
    expect(result).toMatchObject({ operation: { status: 'running' }, interrupted: true });
  });
});
