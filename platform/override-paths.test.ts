import { describe, expect, it } from 'vitest';
import { coerceOverrideValue, matchesOverridePattern, resolveOverridePath } from './override-paths.ts';

describe('resolveOverridePath', () => {
  it.each([
    ['kubernetesVersion', ['kubernetesVersion'], 'string'],
    ['nodePools.0.desiredSize', ['nodePools', '0', 'desiredSize'], 'integer'],
    ['nodePools.general.labels.kaas.io/pool', ['nodePools', 'general', 'labels', 'kaas.io/pool'], 'string'],
    ['tags.kaas.io/owner', ['tags', 'kaas.io/owner'], 'string'],
    ['addons.prometheus.enabled', ['addons', 'prometheus', 'enabled'], 'boolean'],
    ['addons.prometheus.values.retention', ['addons', 'prometheus', 'values', 'retention'], 'scalar'],
    ['networking.authorizedCidrs', ['networking', 'authorizedCidrs'], 'string-list'],
  ])('resolves %s', (path, segments, type) => {
    expect(resolveOverridePath(path)).toEqual({ segments, type });
  });

  it.each(['name', 'team', 'target.region', 'template', 'tags', 'nodePools.0', 'nodePools.0.taints', 'addons.prometheus', 'tags..x', 'nodePools.*.desiredSize'])(
    'refuses %s',
    (path) => expect(resolveOverridePath(path)).toBeUndefined(),
  );

  it('accepts wildcards only for patterns', () => {
    expect(resolveOverridePath('nodePools.*.desiredSize', true)?.segments).toEqual(['nodePools', '*', 'desiredSize']);
    expect(resolveOverridePath('tags.*', true)?.segments).toEqual(['tags', '*']);
  });
});

describe('matchesOverridePattern', () => {
  it.each([
    [['nodePools', '*', 'desiredSize'], ['nodePools', '0', 'desiredSize'], true],
    [['nodePools', 'general', 'desiredSize'], ['nodePools', 'spare', 'desiredSize'], false],
    [['tags', '*'], ['tags', 'kaas.io/x'], true],
    [['tags', 'env'], ['tags', 'owner'], false],
    [['tags', '*'], ['tags', 'a', 'b'], false],
  ])('%j vs %j', (pattern, segments, expected) => {
    expect(matchesOverridePattern(pattern, segments)).toBe(expected);
  });
});

describe('coerceOverrideValue', () => {
  it.each<[Parameters<typeof coerceOverrideValue>[0], string, unknown]>([
    ['integer', '3', { value: 3 }],
    ['integer', '-1', { value: -1 }],
    ['integer', '03', { problem: 'expects an integer, got "03"' }],
    ['integer', '1.5', { problem: 'expects an integer, got "1.5"' }],
    ['boolean', 'true', { value: true }],
    ['boolean', 'TRUE', { problem: 'expects true or false, got "TRUE"' }],
    ['string', '1.33', { value: '1.33' }],
    ['string-list', 'a, b,,c', { value: ['a', 'b', 'c'] }],
    ['scalar', 'false', { value: false }],
    ['scalar', '2.5', { value: 2.5 }],
    ['scalar', '15d', { value: '15d' }],
  ])('%s %j', (type, text, expected) => {
    expect(coerceOverrideValue(type, text)).toEqual(expected);
  });
});
