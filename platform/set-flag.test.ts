import { describe, expect, it } from 'vitest';
import { parseSetFlag, setFlagsToOverrides } from './set-flag.ts';

describe('parseSetFlag', () => {
  it.each([
    ['nodePools.0.desiredSize=3', 'nodePools.0.desiredSize', '3'],
    ['tags.kaas.io/owner=team-a', 'tags.kaas.io/owner', 'team-a'],
    ['tags.note=a=b', 'tags.note', 'a=b'],
    ['tags.empty=', 'tags.empty', ''],
    ['nodeCount=5', 'nodeCount', '5'],
  ])('parses %j', (flag, path, value) => {
    expect(parseSetFlag(flag)).toEqual({ path, value });
  });

  it.each([
    ['nodeCount', 'must look like path=value'],
    ['=3', 'the path before "=" is empty'],
    ['a..b=1', 'must be dot-separated'],
    ['a.=1', 'must be dot-separated'],
    ['.a=1', 'must be dot-separated'],
    ['a b=1', 'must be dot-separated'],
  ])('rejects %j', (flag, reason) => {
    expect(() => parseSetFlag(flag)).toThrow(expect.objectContaining({ code: 'VALIDATION', message: expect.stringContaining(reason) }));
  });
});

describe('setFlagsToOverrides', () => {
  it('collects flags into a record', () => {
    expect(setFlagsToOverrides(['a=1', 'tags.x=y'])).toEqual({ a: '1', 'tags.x': 'y' });
  });
  it('refuses the same path twice', () => {
    expect(() => setFlagsToOverrides(['a=1', 'a=2'])).toThrow(/given more than once/);
  });
});
