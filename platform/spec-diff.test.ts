import { describe, expect, it } from 'vitest';
import { diffSpecs } from './spec-diff.ts';

describe('diffSpecs', () => {
  it.each<[string, unknown, unknown, string[]]>([
    ['no change', { a: 1, b: { c: [1, 2] } }, { b: { c: [1, 2] }, a: 1 }, []],
    ['a changed scalar', { a: 1 }, { a: 2 }, ['a: 1 → 2']],
    ['an added and a removed key', { tags: { x: 'a' } }, { tags: { y: 'b' } }, ['tags.x: "a" → undefined', 'tags.y: undefined → "b"']],
    ['a whole array', { cidrs: ['a'] }, { cidrs: ['a', 'b'] }, ['cidrs: ["a"] → ["a","b"]']],
    ['node pools by name, in any order', { nodePools: [{ name: 'x', size: 1 }, { name: 'y', size: 2 }] }, { nodePools: [{ name: 'y', size: 3 }, { name: 'x', size: 1 }] }, ['nodePools.y.size: 2 → 3']],
    ['a new node pool', { nodePools: [] }, { nodePools: [{ name: 'z', size: 1 }] }, ['nodePools.z: undefined → {"name":"z","size":1}']],
  ])('%s', (_name, a, b, expected) => {
    expect(diffSpecs(a, b).map((c) => `${c.path}: ${JSON.stringify(c.from) ?? 'undefined'} → ${JSON.stringify(c.to) ?? 'undefined'}`)).toEqual(expected);
  });
});
