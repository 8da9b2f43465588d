/**
 * A crafted request cannot poison the process: `--set addons.__proto__.enabled=true` on a
 * template that exposes `addons.*` is refused naming the path, `Object.prototype` is untouched,
 * and a later strict input of another team still behaves (through createCaller, real PostgreSQL).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../api/auth/tokens.ts';
import { SHIPPED_TEMPLATES_DIR } from '../api/bootstrap.ts';
import { expectTrpcError } from './support/errors.ts';
import { testPlatform, type TestPlatform } from './support/services.ts';

const simDev = fs.readFileSync(path.join(SHIPPED_TEMPLATES_DIR, 'sim-dev.yaml'), 'utf8');
const openDev = simDev.replace(/^name: sim-dev$/m, 'name: open-dev').replace(/^overridable:\n/m, 'overridable:\n  - addons.*.enabled\n  - addons.*.values.*\n');
const protoKeys = Reflect.ownKeys(Object.prototype).length;

describe('prototype pollution through the API', () => {
  let p: TestPlatform;
  let alice: Actor;
  let bob: Actor;
  beforeAll(async () => {
    p = await testPlatform();
    const admin = await p.actor('root', 'platform-admin', null);
    alice = await p.actor('alice', 'member', await p.team('payments'));
    bob = await p.actor('bob', 'member', await p.team('search'));
    await p.caller(admin).templates.publish({ yaml: openDev });
  });
  afterAll(() => p.close());

  it('refuses addons.__proto__.enabled, and every other reserved segment, naming the path', async () => {
    expect(openDev).toMatch(/- addons\.\*\.enabled/);
    for (const set of ['addons.__proto__.enabled=true', 'addons.constructor.enabled=true', 'addons.prototype.enabled=true', 'addons.prometheus.values.__proto__=1', 'tags.constructor=x']) {
      const segment = set.split('.').find((s) => ['__proto__', 'constructor', 'prototype'].includes(s.split('=')[0]!))!.split('=')[0]!;
      await expectTrpcError(p.caller(alice).clusters.create({ name: 'evil', template: 'open-dev', set: [set] }), 'BAD_REQUEST', new RegExp(`"${segment}" is not allowed`));
    }
    expect(Reflect.ownKeys(Object.prototype)).toHaveLength(protoKeys);
    expect(({} as Record<string, unknown>).enabled).toBeUndefined();
  });

  it('refuses reserved keys in any input object (JSON own keys), naming the field', async () => {
    const labels = JSON.parse('{"__proto__": "x", "owner": "a"}') as Record<string, string>;
    await expectTrpcError(p.caller(alice).clusters.create({ name: 'evil2', template: 'open-dev', labels }), 'BAD_REQUEST', /labels\.__proto__: "__proto__" is not allowed/);
    expect(Reflect.ownKeys(Object.prototype)).toHaveLength(protoKeys);
  });

  it('a later strict input of another team still works: unknown keys refused, a valid request accepted', async () => {
    await expectTrpcError(p.caller(bob).clusters.create({ name: 'web', template: 'open-dev', extra: 1 } as never), 'BAD_REQUEST', /extra/);
    const created = await p.caller(bob).clusters.create({ name: 'web', template: 'open-dev', set: ['addons.prometheus.enabled=true'] });
    expect(created.cluster).toMatchObject({ name: 'web' });
  });
});
