/** Which errors mean "the database is unavailable", and retrying a write across a short outage. */
import { describe, expect, it } from 'vitest';
import { isDatabaseUnavailable, retryWhileUnavailable } from '../api/db/connection-errors.ts';

const pgError = (code: string, message = 'x') => Object.assign(new Error(message), { code });

describe('isDatabaseUnavailable', () => {
  it.each([
    ['connection refused', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })],
    ['admin shutdown (pg_terminate_backend)', pgError('57P01', 'terminating connection due to administrator command')],
    ['starting up', pgError('57P03', 'the database system is starting up')],
    ['connection exception class 08', pgError('08006')],
    ['terminated socket', new Error('Connection terminated unexpectedly')],
    ['wrapped in a cause', new Error('outer', { cause: pgError('57P01') })],
    ['refused on every address', new AggregateError([Object.assign(new Error('a'), { code: 'ECONNREFUSED' })], 'all failed')],
  ])('%s: yes', (_what, err) => expect(isDatabaseUnavailable(err)).toBe(true));

  it.each([
    ['unique violation', pgError('23505', 'duplicate key')],
    ['syntax error', pgError('42601')],
    ['a plain error', new Error('boom')],
    ['not an error', 'nope'],
  ])('%s: no', (_what, err) => expect(isDatabaseUnavailable(err)).toBe(false));
});

describe('retryWhileUnavailable', () => {
  it('runs the write again while the database is unavailable, then returns its result', async () => {
    let runs = 0;
    const retries: number[] = [];
    const result = await retryWhileUnavailable(
      async () => {
        if (++runs < 3) throw pgError('57P01');
        return 'written';
      },
      { firstDelayMs: 1, onRetry: (_e, attempt) => retries.push(attempt) },
    );
    expect({ result, runs, retries }).toEqual({ result: 'written', runs: 3, retries: [1, 2] });
  });

  it('throws other errors at once, and the outage error after the last attempt', async () => {
    let runs = 0;
    await expect(retryWhileUnavailable(async () => (runs++, Promise.reject(pgError('23505'))), { firstDelayMs: 1 })).rejects.toMatchObject({ code: '23505' });
    expect(runs).toBe(1);
    runs = 0;
    await expect(retryWhileUnavailable(async () => (runs++, Promise.reject(pgError('57P03'))), { firstDelayMs: 1, attempts: 4 })).rejects.toMatchObject({ code: '57P03' });
    expect(runs).toBe(4);
  });
});
