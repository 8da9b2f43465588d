import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DomainError } from './errors.ts';
import { blockingExclusion, nextAllowedStart, parseExclusionPeriod, type MaintenanceExclusion } from './maintenance-exclusion.ts';

const d = (s: string) => new Date(s);
const ex = (kind: MaintenanceExclusion['kind'], from: string, to: string): MaintenanceExclusion => ({ scope: 'team', name: 'ops', kind, startsAt: d(from), endsAt: d(to) });

describe('maintenance exclusions', () => {
  const freeze = ex('no_upgrades', '2026-12-20T00:00:00Z', '2027-01-02T00:00:00Z');
  const noMinor = ex('no_minor_upgrades', '2027-01-01T00:00:00Z', '2027-02-01T00:00:00Z');

  it.each([
    ['2026-12-19T23:59:59Z', true, undefined],
    ['2026-12-20T00:00:00Z', false, freeze], // start inclusive, patches too
    ['2027-01-01T12:00:00Z', false, freeze],
    ['2027-01-02T00:00:00Z', false, undefined], // end exclusive; no_minor lets a patch through
    ['2027-01-02T00:00:00Z', true, noMinor],
    ['2027-02-01T00:00:00Z', true, undefined],
  ] as const)('at %s (minor %s) blocked by %j', (at, minor, expected) => {
    expect(blockingExclusion([freeze, noMinor], d(at), minor)).toBe(expected);
  });

  it('the next allowed start skips chained exclusions', () => {
    expect(nextAllowedStart([freeze, noMinor], d('2026-12-25T00:00:00Z'), true)).toEqual(d('2027-02-01T00:00:00Z'));
    expect(nextAllowedStart([freeze, noMinor], d('2026-12-25T00:00:00Z'), false)).toEqual(d('2027-01-02T00:00:00Z'));
    expect(nextAllowedStart([freeze], d('2026-12-01T00:00:00Z'), true)).toEqual(d('2026-12-01T00:00:00Z'));
  });

  it('the next allowed start is never blocked and never before the asked time', () => {
    const t0 = Date.parse('2027-01-01T00:00:00Z');
    const exclusion = fc.record({ kind: fc.constantFrom('no_upgrades' as const, 'no_minor_upgrades' as const), start: fc.integer({ min: 0, max: 1000 }), len: fc.integer({ min: 1, max: 200 }) });
    fc.assert(
      fc.property(fc.array(exclusion, { maxLength: 6 }), fc.integer({ min: 0, max: 1200 }), fc.boolean(), (list, from, minor) => {
        const all = list.map((e) => ({ scope: 'team' as const, name: 'x', kind: e.kind, startsAt: new Date(t0 + e.start * 3600e3), endsAt: new Date(t0 + (e.start + e.len) * 3600e3) }));
        const at = nextAllowedStart(all, new Date(t0 + from * 3600e3), minor);
        return at.getTime() >= t0 + from * 3600e3 && blockingExclusion(all, at, minor) === undefined;
      }),
    );
  });

  it('refuses an end before the start and a no_upgrades longer than 30 days', () => {
    expect(() => parseExclusionPeriod({ kind: 'no_upgrades', startsAt: '2027-01-02T00:00:00Z', endsAt: '2027-01-01T00:00:00Z' })).toThrow(/endsAt must be after startsAt/);
    expect(() => parseExclusionPeriod({ kind: 'no_upgrades', startsAt: '2027-01-01T00:00:00Z', endsAt: '2027-02-15T00:00:00Z' })).toThrow(DomainError);
    expect(parseExclusionPeriod({ kind: 'no_minor_upgrades', startsAt: '2027-01-01T00:00:00Z', endsAt: '2027-02-15T00:00:00Z' }).kind).toBe('no_minor_upgrades');
    expect(() => parseExclusionPeriod({ kind: 'no_upgrades', startsAt: 'tomorrow', endsAt: '2027-01-01T00:00:00Z' })).toThrow(/startsAt/);
  });
});
