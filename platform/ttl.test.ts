import { describe, expect, it } from 'vitest';
import { DomainError } from './errors.ts';
import { dueWarning, extendedExpiry, formatDuration, initialExpiry, isExpired, parseDuration, ttlPolicySchema } from './ttl.ts';

const H = 3_600_000;
const D = 24 * H;
const created = new Date('2026-12-01T10:00:00Z');

describe('parseDuration', () => {
  it.each([
    ['90m', 90 * 60_000],
    ['36h', 36 * H],
    ['3d', 3 * D],
    ['2w', 14 * D],
    ['0d', undefined],
    ['3', undefined],
    ['3 days', undefined],
    ['-1d', undefined],
    ['1y', undefined],
  ])('%s → %s', (text, ms) => expect(parseDuration(text)).toBe(ms));
  it.each([
    [3 * D, '3d'],
    [36 * H, '36h'],
    [14 * D, '14d'],
    [90 * 60_000, '90m'],
  ])('formats %d as %s', (ms, text) => expect(formatDuration(ms)).toBe(text));
});

describe('ttlPolicySchema', () => {
  it.each([
    [{ default: '3d', max: '14d' }, true],
    [{ max: '7d' }, true],
    [{}, false],
    [{ default: '8d', max: '7d' }, false],
    [{ default: 'soon' }, false],
    [{ default: '3d', maximum: '7d' }, false],
  ])('%j valid: %s', (field, ok) => expect(ttlPolicySchema.safeParse(field).success).toBe(ok));
});

function refusal(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (err) {
    if (err instanceof DomainError) return err;
    throw err;
  }
  throw new Error('expected a refusal');
}

describe('initialExpiry', () => {
  const policy = { defaultMs: 3 * D, maxMs: 7 * D };
  it.each([
    [undefined, '2026-12-04T10:00:00.000Z'],
    ['1d', '2026-12-02T10:00:00.000Z'],
    ['7d', '2026-12-08T10:00:00.000Z'],
  ])('ttl %s expires at %s', (ttl, at) => expect(initialExpiry(policy, ttl, created, 'dev@1')?.toISOString()).toBe(at));
  it('no policy and no ttl: never expires', () => expect(initialExpiry({}, undefined, created, 'dev@1')).toBeNull());
  it('refuses a ttl over the max, naming it and the fix', () => {
    const err = refusal(() => initialExpiry(policy, '8d', created, 'dev@1'));
    expect(err.code).toBe('VALIDATION');
    expect(err.message).toContain('max 7d');
    expect(err.hint).toContain('--ttl 7d');
  });
  it('refuses a ttl that is not a duration', () => expect(refusal(() => initialExpiry(policy, 'forever', created, 'dev@1')).code).toBe('VALIDATION'));
});

describe('extendedExpiry', () => {
  const policy = { maxMs: 7 * D };
  const cluster = { name: 'web', createdAt: created, expiresAt: new Date(created.getTime() + 3 * D) };
  const now = new Date(created.getTime() + 1 * D);
  it.each([
    [{ by: '2d' }, '2026-12-06T10:00:00.000Z'],
    [{ by: '4d' }, '2026-12-08T10:00:00.000Z'],
    [{ until: new Date('2026-12-08T10:00:00Z') }, '2026-12-08T10:00:00.000Z'],
  ])('%j → %s (within the max from creation)', (ext, at) => expect(extendedExpiry(policy, cluster, ext, now, 'dev@1').toISOString()).toBe(at));
  it('refuses beyond the max, naming the max, the latest expiry and the fix', () => {
    const err = refusal(() => extendedExpiry(policy, cluster, { by: '5d' }, now, 'dev@1'));
    expect(err.code).toBe('PRECONDITION_FAILED');
    expect(err.message).toContain('at most 7d');
    expect(err.message).toContain('2026-12-08T10:00:00.000Z');
    expect(err.hint).toContain('--until 2026-12-08T10:00:00.000Z');
  });
  it('refuses an until that is not later than the current expiry', () => expect(refusal(() => extendedExpiry(policy, cluster, { until: new Date('2026-12-03T10:00:00Z') }, now, 'dev@1')).code).toBe('VALIDATION'));
  it('refuses a cluster without ttl', () => expect(refusal(() => extendedExpiry(policy, { ...cluster, expiresAt: null }, { by: '1d' }, now, 'dev@1')).code).toBe('PRECONDITION_FAILED'));
  it('extends from now when already past expiry (not yet reaped)', () => {
    const late = new Date(cluster.expiresAt.getTime() + H);
    expect(extendedExpiry({}, cluster, { by: '1d' }, late, 'dev@1').getTime()).toBe(late.getTime() + D);
  });
});

describe('dueWarning', () => {
  const expires = new Date('2026-12-04T10:00:00Z');
  const leads = [24 * H, H];
  const at = (hoursBefore: number) => new Date(expires.getTime() - hoursBefore * H);
  it.each([
    [30, [], undefined],
    [24, [], { lead: 24 * H, markSent: [24 * H] }],
    [23, [24 * H], undefined],
    [1, [24 * H], { lead: H, markSent: [H] }],
    [0.5, [24 * H, H], undefined],
    [0.5, [], { lead: H, markSent: [H, 24 * H] }],
    [0, [], undefined],
  ])('%d h before, sent %j → %j', (hours, sent, want) => expect(dueWarning(expires, at(hours), leads, sent)).toEqual(want));
});

describe('isExpired', () => {
  it.each([
    [null, false],
    [new Date('2026-12-01T09:59:59Z'), true],
    [new Date('2026-12-01T10:00:00Z'), true],
    [new Date('2026-12-01T10:00:01Z'), false],
  ])('%s → %s', (at, want) => expect(isExpired(at, created)).toBe(want));
});
