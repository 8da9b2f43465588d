import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareMinorVersions } from './kubernetes-version.ts';
import { channelTarget, stableMinor, type UpgradeChannel } from './upgrade-channel.ts';

const SUPPORTED = ['1.31', '1.32', '1.33', '1.34'];

describe('channelTarget', () => {
  const cases: [UpgradeChannel, string, Record<string, string> | undefined, ReturnType<typeof channelTarget>][] = [
    ['stable', '1.31', undefined, { version: '1.33', release: '1.33', minorUpgrade: true }],
    ['stable', '1.32', undefined, { version: '1.33', release: '1.33', minorUpgrade: true }],
    ['stable', '1.33', undefined, undefined], // already N-1
    ['stable', '1.34', undefined, undefined], // ahead of N-1: never a downgrade
    ['pinned', '1.31', { '1.31': '1.31.9' }, undefined],
    ['patch', '1.33', { '1.33': '1.33.5' }, { version: '1.33', release: '1.33.5', minorUpgrade: false }],
    ['patch', '1.33', { '1.32': '1.32.9' }, undefined], // no patch known for its minor
    ['patch', '1.33', { '1.33': '1.34.1' }, undefined], // a release of another minor is not a patch
    ['patch', '1.30', { '1.30': '1.30.14' }, undefined], // its minor is out of support
  ];
  it.each(cases)('%s at %s (patches %j) → %j', (channel, current, patches, expected) => {
    expect(channelTarget(channel, { supported: SUPPORTED, ...(patches ? { patches } : {}) }, current)).toEqual(expected);
  });

  it('patch proposes only a patch newer than the one the cluster is pinned to', () => {
    const data = { supported: SUPPORTED, patches: { '1.33': '1.33.5' } };
    expect(channelTarget('patch', data, '1.33', '1.33.2')).toEqual({ version: '1.33', release: '1.33.5', minorUpgrade: false });
    expect(channelTarget('patch', data, '1.33', '1.33.5')).toBeUndefined(); // already there
    expect(channelTarget('patch', data, '1.33', '1.33.7')).toBeUndefined(); // newer: never a downgrade
  });

  it('stable is the newest minor minus one, or the only one', () => {
    expect(stableMinor(['1.34', '1.32', '1.33'])).toBe('1.33');
    expect(stableMinor(['1.34'])).toBe('1.34');
    expect(stableMinor([])).toBeUndefined();
  });

  const minor = fc.integer({ min: 20, max: 40 }).map((m) => `1.${m}`);
  const data = fc.record({
    supported: fc.uniqueArray(minor, { maxLength: 8 }).map((s) => s.sort(compareMinorVersions)),
    patches: fc.dictionary(minor, fc.integer({ min: 0, max: 30 }), { maxKeys: 8 }),
  });
  const channel = fc.constantFrom<UpgradeChannel>('patch', 'stable', 'pinned');

  it('never proposes a downgrade nor a minor outside support; pinned never proposes', () => {
    fc.assert(
      fc.property(channel, data, minor, (ch, d, current) => {
        const patches = Object.fromEntries(Object.entries(d.patches).map(([m, p]) => [m, `${m}.${p}`]));
        const t = channelTarget(ch, { supported: d.supported, patches }, current);
        if (ch === 'pinned') return t === undefined;
        if (t === undefined) return true;
        return compareMinorVersions(t.version, current) >= 0 && d.supported.includes(t.version) && t.minorUpgrade === (t.version !== current) && (ch === 'patch') === !t.minorUpgrade;
      }),
    );
  });
});
