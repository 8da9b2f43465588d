import { describe, expect, it } from 'vitest';
import { compareMinorVersions, isMinorVersion, minorDistance, nextMinor, parseMinorVersion } from './kubernetes-version.ts';

describe('kubernetes-version', () => {
  it.each(['1.31', '1.9', '2.0', '1.100'])('accepts %j', (v) => expect(isMinorVersion(v)).toBe(true));
  it.each(['v1.31', '1.31.2', '1.031', '1', '', '1.', '.31', '1.x', ' 1.31'])('rejects %j', (v) => {
    expect(isMinorVersion(v)).toBe(false);
    expect(() => parseMinorVersion(v)).toThrow(/MAJOR.MINOR/);
  });
  it.each([
    ['1.31', '1.32', -1],
    ['1.32', '1.31', 1],
    ['1.31', '1.31', 0],
    ['1.9', '1.10', -1],
    ['2.0', '1.99', 1],
  ])('compares %s with %s', (a, b, sign) => {
    expect(Math.sign(compareMinorVersions(a, b))).toBe(sign);
  });
  it('measures minor distance and steps', () => {
    expect(minorDistance('1.30', '1.33')).toBe(3);
    expect(minorDistance('1.33', '1.30')).toBe(-3);
    expect(minorDistance('1.33', '2.0')).toBe(Number.POSITIVE_INFINITY);
    expect(nextMinor('1.9')).toBe('1.10');
  });
});
