import { describe, expect, it } from 'vitest';
import { canonicalJson } from './canonical-json.ts';

describe('canonicalJson', () => {
  it.each<[unknown, string]>([
    [{ b: 1, a: [3, { d: true, c: null }] }, '{"a":[3,{"c":null,"d":true}],"b":1}'],
    [{ a: undefined, b: 'x' }, '{"b":"x"}'],
    [[undefined], '[null]'],
    ['é"', '"é\\""'],
    [{}, '{}'],
  ])('serialises %j', (value, expected) => {
    expect(canonicalJson(value)).toBe(expected);
  });
  it('is independent of insertion order', () => {
    expect(canonicalJson({ x: 1, y: { q: 1, p: 2 } })).toBe(canonicalJson({ y: { p: 2, q: 1 }, x: 1 }));
  });
  it.each([Number.NaN, Number.POSITIVE_INFINITY, () => 1, 10n])('refuses %s', (value) => {
    expect(() => canonicalJson(value)).toThrow(/cannot serialise/);
  });
});
