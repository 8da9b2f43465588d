/** Every domain error reaches a user with a hint: its own, its field's, or its code's. */
import { describe, expect, it } from 'vitest';
import { CODE_HINTS, DOMAIN_ERROR_CODES, DomainError, hintOf, validationError } from './errors.ts';

describe('hintOf', () => {
  it.each(DOMAIN_ERROR_CODES)('an error of code %s without a hint still gets one', (code) => {
    expect(hintOf(new DomainError(code, 'x'))).toMatch(/\S{3}/);
    expect(CODE_HINTS[code]).toBe(hintOf(new DomainError(code, 'x')));
  });

  it('keeps an error\'s own hint', () => {
    expect(hintOf(new DomainError('NOT_FOUND', 'x', { hint: 'list them' }))).toBe('list them');
  });

  it('uses the hint of the first field it knows, by whole path or first segment', () => {
    expect(hintOf(validationError([{ path: 'name', message: 'bad' }]))).toMatch(/lowercase letters/);
    expect(hintOf(validationError([{ path: 'nodePools.nope.desiredSize', message: 'no node pool "nope"' }]))).toMatch(/pool the cluster has/);
    expect(hintOf(validationError([{ path: 'waves.percentages', message: 'sum to 90' }]))).toMatch(/total 100/);
    expect(hintOf(validationError([{ path: 'operationId', message: 'not an operation id' }]))).toMatch(/kaas clusters operations/);
    expect(hintOf(validationError([{ path: 'spec.unknownField', message: 'bad' }]))).toBe(CODE_HINTS.VALIDATION);
  });
});
