import { afterEach, describe, expect, it } from 'vitest';
import type { TargetRef } from './cluster-spec.ts';
import { isDomainError } from './errors.ts';
import { matchesOverridePattern, resolveOverridePath } from './override-paths.ts';
import { setFlagsToOverrides } from './set-flag.ts';
import { parseTemplate, resolveTemplate } from './templates.ts';

const TEMPLATE = `
name: open-addons
version: 1
description: Exposes every addon and map key.
cloud: sim
overridable:
  - addons.*.enabled
  - addons.*.values.*
  - nodePools.*.labels.*
  - nodePools.*.desiredSize
  - tags.*
spec:
  kubernetesVersion: "1.33"
  nodePools:
    - { name: general, machineType: sim.small, minSize: 1, maxSize: 4, desiredSize: 1 }
  addons:
    prometheus: { enabled: false }
  networking:
    authorizedCidrs: ["10.0.0.0/8"]
    privateEndpoint: false
    publicNodeIps: false
    vpc: { mode: create, cidr: 10.1.0.0/16 }
  tags: { owner: "\${cluster.team}" }
  deletionProtection: false
`;
const target: TargetRef = { name: 'sim-local', cloud: 'sim', region: 'local-1', account: 'local', dnsZones: [] };
const FORBIDDEN = ['__proto__', 'prototype', 'constructor'];
const ownKeysBefore = Reflect.ownKeys(Object.prototype).length;
const fnKeysBefore = Reflect.ownKeys(Object).length;

/** Object.prototype and the Object constructor gained no own keys. */
function expectUntouched() {
  expect(Reflect.ownKeys(Object.prototype)).toHaveLength(ownKeysBefore);
  expect(Reflect.ownKeys(Object)).toHaveLength(fnKeysBefore);
}

function resolveWith(overrides: Record<string, string>) {
  return resolveTemplate(parseTemplate(TEMPLATE), { name: 'c1', team: 'alpha', target, overrides });
}

/** The DomainError thrown by `fn` (fails the test on any other outcome). */
function domainErrorOf(fn: () => unknown) {
  try {
    fn();
  } catch (err) {
    if (isDomainError(err)) return err;
    throw err;
  }
  throw new Error('expected a DomainError');
}

afterEach(expectUntouched);

describe('prototype-safe override paths', () => {
  for (const key of FORBIDDEN) {
    for (const path of [`addons.${key}.enabled`, `addons.${key}.values.x`, `addons.prometheus.values.${key}`, `tags.${key}`, `nodePools.${key}.desiredSize`, `nodePools.general.labels.${key}`, `tags.a.${key}`]) {
      it(`refuses --set ${path} with an error naming the path`, () => {
        const err = domainErrorOf(() => resolveWith({ [path]: path.endsWith('enabled') ? 'true' : 'x' }));
        expect(err.code).toBe('VALIDATION');
        expect(err.issues.map((i) => i.path)).toContain(path);
        expect(err.message).toContain(`"${key}"`);
      });
    }
    it(`the CLI refuses --set ${key}=x and --set tags.${key}=x instead of dropping them`, () => {
      expect(domainErrorOf(() => setFlagsToOverrides([`${key}=x`])).message).toContain(key);
      expect(domainErrorOf(() => setFlagsToOverrides([`tags.${key}=x`])).message).toContain(key);
    });
    it(`a wildcard never matches "${key}", and no path or pattern with it resolves`, () => {
      expect(matchesOverridePattern(['addons', '*', 'enabled'], ['addons', key, 'enabled'])).toBe(false);
      expect(resolveOverridePath(`addons.${key}.enabled`)).toBeUndefined();
      expect(resolveOverridePath(`tags.${key}`, true)).toBeUndefined();
    });
    it(`a template whose overridable list names "${key}" is refused`, () => {
      const err = domainErrorOf(() => parseTemplate(TEMPLATE.replace('  - tags.*', `  - addons.${key}.enabled`)));
      expect(err.message).toContain(`overridable.4`);
      expect(err.message).toContain(`"${key}"`);
    });
    it(`a template document with a "${key}" key anywhere is refused, naming its path`, () => {
      const doc = TEMPLATE.replace('tags: { owner: "${cluster.team}" }', `tags: { owner: x, ${key}: { polluted: "yes" } }`);
      const err = domainErrorOf(() => parseTemplate(doc));
      expect(err.message).toContain(`spec.tags.${key}`);
    });
  }

  it('a legitimate override still works after the refusals', () => {
    expect(() => resolveWith({ 'addons.__proto__.enabled': 'true' })).toThrow();
    const spec = resolveWith({ 'addons.prometheus.enabled': 'true', 'tags.cost': 'x', 'nodePools.general.labels.kaas.io/pool': 'a' });
    expect(spec.addons.prometheus?.enabled).toBe(true);
    expect(spec.tags.cost).toBe('x');
  });
});

/** mulberry32: a small seeded generator, so a failing case replays from its seed. */
function rng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('fuzz: random override paths and values', () => {
  // fast-check is not installed in this repository; a seeded generator stands in for it.
  const SEGMENTS = [...FORBIDDEN, 'addons', 'prometheus', 'external-dns', 'values', 'enabled', 'tags', 'nodePools', 'general', '0', '1', 'labels', 'desiredSize', 'kubernetesVersion', 'networking', 'vpc', '*', 'hasOwnProperty', 'toString', '__defineGetter__', 'valueOf', 'kaas.io/x', ''];
  const VALUES = ['true', 'false', '1', '-1', '3', '1.5', '', 'x', '__proto__', '{"a":1}', '1.33', '10.0.0.0/8,1.2.3.4/32'];
  it('never throws anything but a DomainError and never touches Object.prototype (2,000 cases)', () => {
    const seed = 20261201;
    const next = rng(seed);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!;
    const template = parseTemplate(TEMPLATE);
    for (let n = 0; n < 2000; n++) {
      const overrides: Record<string, string> = Object.create(null);
      const count = 1 + Math.floor(next() * 3);
      for (let k = 0; k < count; k++) {
        const length = 1 + Math.floor(next() * 5);
        overrides[Array.from({ length }, () => pick(SEGMENTS)).join('.')] = pick(VALUES);
      }
      try {
        resolveTemplate(template, { name: 'c1', team: 'alpha', target, overrides });
        setFlagsToOverrides(Object.entries(overrides).map(([p, v]) => `${p}=${v}`));
      } catch (err) {
        if (!isDomainError(err)) throw new Error(`seed ${seed} case ${n} ${JSON.stringify(overrides)}: ${String(err)}`);
      }
      expect(Reflect.ownKeys(Object.prototype), `case ${n} ${JSON.stringify(overrides)}`).toHaveLength(ownKeysBefore);
      expect(Reflect.ownKeys(Object), `case ${n}`).toHaveLength(fnKeysBefore);
    }
  });
});
