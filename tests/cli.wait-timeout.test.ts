/** `--timeout` while the API is unavailable: the watch gives up with the timeout's exit code (9), not the outage's (8). */
import { TRPCClientError } from '@trpc/client';
import { describe, expect, it } from 'vitest';
import type { Api } from '../cli/client.ts';
import { CliError, toCliError } from '../cli/errors.ts';
import { EXIT } from '../cli/exit-codes.ts';
import { Runtime } from '../cli/runtime.ts';
import { waitForOperation } from '../cli/wait.ts';

const dbUnavailable = () =>
  toCliError(new TRPCClientError('database unavailable', { result: { error: { code: -32603, message: 'database unavailable', data: { code: 'SERVICE_UNAVAILABLE', httpStatus: 503, kaas: { code: 'UNAVAILABLE' } } } } as never }));

describe('--timeout during an outage', () => {
  it('exits 9 naming the operation and how to follow it, though no poll succeeded', async () => {
    const api = { url: 'http://fake', trpc: { clusters: { events: { query: async () => Promise.reject(dbUnavailable()) } } }, lastRequestId: () => undefined } as unknown as Api;
    const notes: string[] = [];
    const rt = new Runtime({ stdout: () => {}, stderr: (t) => void notes.push(t), env: {}, stdinIsTTY: false });
    rt.waitTimeout = { ms: 20, text: '20ms' };
    const err = await waitForOperation(rt, api, { name: 'web', team: 'a', operationId: 'oabc' }).then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(CliError);
    expect(err).toMatchObject({ exitCode: EXIT.TIMEOUT, message: expect.stringMatching(/timed out after 20ms; operation oabc continues on the server/), hint: 'follow it with: kaas clusters events web --operation oabc --follow --team a' });
  });
});
