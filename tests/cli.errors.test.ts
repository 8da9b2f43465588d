/** API errors and connection failures as CLI errors: exit code, message, hint, issues. */
import { TRPCClientError } from '@trpc/client';
import { describe, expect, it } from 'vitest';
import { CliError, formatError, toCliError } from '../cli/errors.ts';
import { EXIT, EXIT_CODES_HELP, exitCodeFor } from '../cli/exit-codes.ts';

/** A TRPCClientError as httpLink builds it from the kaas API's error response. */
function apiError(message: string, trpcCode: string, kaas?: { code: string; hint?: string; issues?: { path: string; message: string }[] }) {
  return new TRPCClientError(message, { result: { error: { code: -32000, message, data: { code: trpcCode, httpStatus: 400, path: 'x', ...(kaas ? { kaas } : {}) } } } as never });
}

describe('exit codes', () => {
  it.each([
    ['VALIDATION', 'BAD_REQUEST', EXIT.USAGE],
    ['UNSUPPORTED', 'BAD_REQUEST', EXIT.USAGE],
    ['NOT_FOUND', 'NOT_FOUND', EXIT.NOT_FOUND],
    ['FORBIDDEN', 'FORBIDDEN', EXIT.FORBIDDEN],
    ['UNAUTHENTICATED', 'UNAUTHORIZED', EXIT.FORBIDDEN],
    ['CONFLICT', 'CONFLICT', EXIT.CONFLICT],
    ['PRECONDITION_FAILED', 'PRECONDITION_FAILED', EXIT.CONFLICT],
    ['QUOTA_EXCEEDED', 'FORBIDDEN', EXIT.QUOTA_EXCEEDED],
    ['ENGINE', 'INTERNAL_SERVER_ERROR', EXIT.INTERNAL],
    ['INTERNAL', 'INTERNAL_SERVER_ERROR', EXIT.INTERNAL],
  ])('maps kaas code %s (tRPC %s) to exit %i', (kaasCode, trpcCode, exit) => {
    const error = toCliError(apiError('boom', trpcCode, { code: kaasCode }));
    expect(error.exitCode).toBe(exit);
    expect(error.code).toBe(kaasCode);
  });

  it('falls back to the tRPC code without kaas data, and to INTERNAL for unknown codes', () => {
    expect(toCliError(apiError('No procedure found on path "teams.list"', 'NOT_FOUND')).exitCode).toBe(EXIT.NOT_FOUND);
    expect(toCliError(apiError('No procedure found on path "teams.list"', 'NOT_FOUND')).hint).toBeUndefined();
    expect(exitCodeFor(undefined, 'METHOD_NOT_SUPPORTED')).toBe(EXIT.USAGE);
    expect(exitCodeFor('SOMETHING_NEW', 'SOMETHING_ELSE')).toBe(EXIT.INTERNAL);
  });

  it('documents every code in the help text', () => {
    for (const code of Object.values(EXIT)) expect(EXIT_CODES_HELP).toMatch(new RegExp(`^  ${code} `, 'm'));
  });
});

describe('error output', () => {
  it('prints message, field issues, hint and request id, and no stack', () => {
    const error = toCliError(apiError('invalid input: 2 problems', 'BAD_REQUEST', { code: 'VALIDATION', hint: 'use a DNS name', issues: [{ path: 'name', message: 'must be lowercase' }, { path: '', message: 'too many' }] }), { requestId: 'req-1' });
    expect(formatError(error)).toEqual(['error: invalid input: 2 problems', '  - name: must be lowercase', '  - too many', 'hint: use a DNS name', 'request id: req-1']);
    // issues the message already names are not repeated
    const named = toCliError(apiError('invalid input: name: must be lowercase', 'BAD_REQUEST', { code: 'VALIDATION', issues: [{ path: 'name', message: 'must be lowercase' }] }));
    expect(formatError(named)).toEqual(['error: invalid input: name: must be lowercase']);
  });

  it('keeps the API hint, and adds a `kaas login` hint to an unauthenticated error without one', () => {
    expect(toCliError(apiError('missing or invalid API token', 'UNAUTHORIZED', { code: 'UNAUTHENTICATED', hint: 'run `kaas login`' })).hint).toBe('run `kaas login`');
    expect(toCliError(apiError('nope', 'UNAUTHORIZED', { code: 'UNAUTHENTICATED' })).hint).toMatch(/kaas login/);
  });

  it('maps a refused connection to exit 7 with the "cannot reach" message', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' });
    const fetchFailed = new TypeError('fetch failed', { cause: refused });
    const error = toCliError(TRPCClientError.from(fetchFailed), { url: 'http://127.0.0.1:9', requestId: 'r-1' });
    expect(error.exitCode).toBe(EXIT.UNREACHABLE);
    expect(error.message).toBe('cannot reach the kaas API at http://127.0.0.1:9: is the platform running? [ECONNREFUSED]');
    expect(error.hint).toMatch(/bash scripts\/start\.sh/);
    expect(error.requestId).toBeUndefined(); // the request never left
  });

  it('maps a non-tRPC answer to exit 7 and anything else to exit 10', () => {
    expect(toCliError(new TRPCClientError('Unable to transform response from server')).exitCode).toBe(EXIT.UNREACHABLE);
    const odd = toCliError(new RangeError('weird'));
    expect(odd.exitCode).toBe(EXIT.INTERNAL);
    expect(odd.message).toBe('unexpected error: weird');
  });

  it('passes CliErrors through unchanged', () => {
    const own = new CliError('USAGE', 'bad', EXIT.USAGE);
    expect(toCliError(own)).toBe(own);
  });
});
