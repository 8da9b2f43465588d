/** Watching an operation: polling from the last seq, stopping at the end, and on Ctrl-C. */
import { describe, expect, it } from 'vitest';
import type { Api } from '../cli/client.ts';
import { watchOperation } from '../cli/watch.ts';

type Page = { operation: { id: string; kind: string; status: string; step: string | null }; events: { seq: number; at: string; event: { kind: 'message'; message: string } }[]; nextAfter: number };

/** An Api whose clusters.events answers from a script of pages, recording the inputs. */
function fakeApi(pages: Page[]) {
  const inputs: Record<string, unknown>[] = [];
  const api = {
    url: 'http://fake',
    trpc: {
      clusters: {
        events: {
          query: async (input: Record<string, unknown>) => {
            inputs.push(input);
            return pages[Math.min(inputs.length - 1, pages.length - 1)]!;
          },
        },
      },
    },
    lastRequestId: () => undefined,
  } as unknown as Api;
  return { api, inputs };
}

const ev = (seq: number) => ({ seq, at: '2025-01-01T00:00:00Z', event: { kind: 'message' as const, message: `e${seq}` } });
const op = (status: string, step: string | null = null) => ({ id: 'oabcdefabcdef', kind: 'create', status, step });

describe('watchOperation', () => {
  it('polls from the last seq until the operation ends, reporting events and status changes', async () => {
    const { api, inputs } = fakeApi([
      { operation: op('queued'), events: [], nextAfter: 0 },
      { operation: op('running', 'create a'), events: [ev(1), ev(2)], nextAfter: 2 },
      { operation: op('running', 'create a'), events: [], nextAfter: 2 },
      { operation: op('succeeded'), events: [ev(3)], nextAfter: 3 },
    ]);
    const seen: string[] = [];
    const statuses: string[] = [];
    const result = await watchOperation(api, { team: 'payments', name: 'web' }, { intervalMs: 1, onEvent: (e) => seen.push(e.event.message as string), onStatus: (o) => statuses.push(`${o.status}:${o.step ?? ''}`) });
    expect(result).toMatchObject({ interrupted: false, lastSeq: 3, operation: { status: 'succeeded' } });
    expect(seen).toEqual(['e1', 'e2', 'e3']);
    expect(statuses).toEqual(['queued:', 'running:create a', 'succeeded:']);
    expect(inputs.map((i) => i.after)).toEqual([0, 0, 2, 2]);
    // the first answer pins the operation: later polls ask for it by id
    expect(inputs[0]).not.toHaveProperty('operationId');
    expect(inputs.slice(1).every((i) => i.operationId === 'oabcdefabcdef' && i.team === 'payments')).toBe(true);
  });

  it('tells a status before the events that follow it, and the end after the last events', async () => {
    const { api } = fakeApi([
      { operation: op('running', 'create a'), events: [ev(1)], nextAfter: 1 },
      { operation: op('succeeded'), events: [ev(2)], nextAfter: 2 },
    ]);
    const order: string[] = [];
    await watchOperation(api, { name: 'web' }, { intervalMs: 1, onEvent: (e) => order.push(e.event.message as string), onStatus: (o) => order.push(o.status) });
    expect(order).toEqual(['running', 'e1', 'e2', 'succeeded']);
  });

  it('reads once without follow', async () => {
    const { api, inputs } = fakeApi([{ operation: op('running'), events: [ev(1)], nextAfter: 1 }]);
    const result = await watchOperation(api, { name: 'web' }, { follow: false, onEvent: () => {} });
    expect(inputs.length).toBe(1);
    expect(result.interrupted).toBe(false);
  });

  it('stops watching when the signal aborts, leaving the operation running', async () => {
    const { api } = fakeApi([{ operation: op('running'), events: [], nextAfter: 0 }]);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const result = await watchOperation(api, { name: 'web' }, { intervalMs: 10_000, signal: controller.signal, onEvent: () => {} });
    expect(result).toMatchObject({ interrupted: true, operation: { status: 'running' } });
  });
});
