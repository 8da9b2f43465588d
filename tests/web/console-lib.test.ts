/** The console's pure helpers: YAML text, line diff, row windowing, drift findings. */
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import fc from 'fast-check';
import { rowWindow } from '../../web/src/components/virtual-rows.ts';
import { driftFindings, driftSummary } from '../../web/src/lib/format.ts';
import { lineDiff } from '../../web/src/lib/line-diff.ts';
import { toYaml } from '../../web/src/lib/yaml-text.ts';

const json: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, fc.string(), fc.integer(), fc.boolean(), fc.constant(null), fc.array(tie('value'), { maxLength: 4 }), fc.dictionary(fc.string({ minLength: 1 }), tie('value'), { maxKeys: 4 })),
})).value;

describe('console helpers', () => {
  it('toYaml prints YAML that reads back as the same data', () => {
    fc.assert(fc.property(json, (v) => {
      expect(parse(toYaml(v))).toEqual(v);
    }), { numRuns: 300 });
    expect(toYaml({ version: '1.33', on: true, a: ['yes', 'x'] })).toBe('version: "1.33"\n"on": true\na:\n- "yes"\n- x\n');
  });

  it('lineDiff keeps the old text on its - and space lines and the new on its + and space lines', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('a', 'b', 'c', ''), { maxLength: 12 }), fc.array(fc.constantFrom('a', 'b', 'c', ''), { maxLength: 12 }), (x, y) => {
        const d = lineDiff(x.join('\n'), y.join('\n'));
        expect(d.filter((l) => l.op !== '+').map((l) => l.text).join('\n')).toBe(x.join('\n'));
        expect(d.filter((l) => l.op !== '-').map((l) => l.text).join('\n')).toBe(y.join('\n'));
      }),
    );
    expect(lineDiff('a\nb', 'a\nc')).toEqual([{ op: ' ', text: 'a' }, { op: '-', text: 'b' }, { op: '+', text: 'c' }]);
  });

  it('rowWindow renders only the rows on screen plus overscan, and pads the rest', () => {
    expect(rowWindow(10_000, 37, 0, 740, 10)).toEqual({ start: 0, end: 30, padTop: 0, padBottom: (10_000 - 30) * 37 });
    expect(rowWindow(10_000, 37, 37 * 5000, 740, 10)).toEqual({ start: 4990, end: 5030, padTop: 4990 * 37, padBottom: (10_000 - 5030) * 37 });
    expect(rowWindow(5, 37, 0, 740)).toEqual({ start: 0, end: 5, padTop: 0, padBottom: 0 });
  });

  it('drift findings come one per resource and field from the drift check record', () => {
    const record = { checkedAt: '2026-12-02T00:00:00Z', drifted: true, resources: [{ resource: 'pool-general', resourceType: 'kaas-sim:index:SimNodePool', op: 'update', fields: ['desiredSize', 'labels'] }, { resource: 'vpc', resourceType: 'x', op: 'delete', fields: [] }] };
    expect(driftFindings(record).map((f) => `${f.resource}.${f.field}:${f.op}`)).toEqual(['pool-general.desiredSize:update', 'pool-general.labels:update', 'vpc.—:delete']);
    expect(driftSummary(record)).toBe('drifted (2)');
    expect(driftSummary({ checkedAt: 'x', drifted: false, resources: [] })).toBe('in sync');
    expect(driftSummary(null)).toBe('not checked');
  });
});
