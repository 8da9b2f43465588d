/** templates.* through createCaller against real PostgreSQL. */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../api/auth/tokens.ts';
import { SHIPPED_TEMPLATES_DIR } from '../api/bootstrap.ts';
import { expectTrpcError } from './support/errors.ts';
import { testPlatform, type TestPlatform } from './support/services.ts';

const simDev = fs.readFileSync(path.join(SHIPPED_TEMPLATES_DIR, 'sim-dev.yaml'), 'utf8');
/** The shipped sim-dev template renamed to `team-dev`, optionally with another description. */
const teamDev = (description?: string) => {
  const yaml = simDev.replace(/^name: sim-dev$/m, 'name: team-dev');
  return description ? yaml.replace(/^description: .*$/m, `description: ${description}`) : yaml;
};

describe('templates router', () => {
  let p: TestPlatform;
  let admin: Actor;
  let alice: Actor;
  let lead: Actor;
  beforeAll(async () => {
    p = await testPlatform();
    admin = await p.actor('root', 'platform-admin', null);
    const team = await p.team('payments');
    alice = await p.actor('alice', 'member', team);
    lead = await p.actor('lead', 'team-admin', team);
  });
  afterAll(() => p.close());

  it('publishes a new template as version 1, audited with its ref', async () => {
    const { template, created } = await p.caller(admin).templates.publish({ yaml: teamDev() });
    expect(created).toBe(true);
    expect(template).toMatchObject({ name: 'team-dev', version: 1, ref: 'team-dev@1', cloud: 'sim', simulated: true, deprecated: false, createdBy: 'root' });
    expect(template.definition).toMatchObject({ name: 'team-dev', version: 1, cloud: 'sim' });
    const audit = await p.services.db.selectFrom('audit').selectAll().where('action', '=', 'templates.publish').executeTakeFirstOrThrow();
    expect(audit).toMatchObject({ actor: 'root', target: 'team-dev@1', result: 'ok' });
  });

  it('treats an identical publish as a no-op and a changed one as version n+1', async () => {
    const again = await p.caller(admin).templates.publish({ yaml: teamDev() });
    expect(again).toMatchObject({ created: false, template: { ref: 'team-dev@1' } });
    const changed = await p.caller(admin).templates.publish({ yaml: teamDev('Team development cluster, v2') });
    expect(changed).toMatchObject({ created: true, template: { ref: 'team-dev@2', description: 'Team development cluster, v2' } });
    const rows = await p.services.db.selectFrom('templates').select('version').where('name', '=', 'team-dev').orderBy('version').execute();
    expect(rows.map((r) => r.version)).toEqual([1, 2]);
  });

  it('refuses publishing by non-admins, invalid YAML, invalid templates, oversize documents and unknown keys', async () => {
    await expectTrpcError(p.caller(lead).templates.publish({ yaml: teamDev('sneaky') }), 'FORBIDDEN');
    await expectTrpcError(p.caller(admin).templates.publish({ yaml: 'name: [unclosed' }), 'BAD_REQUEST', /published template/);
    await expectTrpcError(p.caller(admin).templates.publish({ yaml: teamDev().replace('cloud: sim', 'cloud: moon') }), 'BAD_REQUEST', /cloud/);
    await expectTrpcError(p.caller(admin).templates.publish({ yaml: teamDev() + '\n# ' + 'x'.repeat(64 * 1024) }), 'BAD_REQUEST', /64 KiB/);
    await expectTrpcError(p.caller(admin).templates.publish({ yaml: teamDev(), version: 7 } as never), 'BAD_REQUEST', /"version"/);
    const rows = await p.services.db.selectFrom('templates').select('version').where('name', '=', 'team-dev').execute();
    expect(rows.length).toBe(2);
    const audit = await p.services.db.selectFrom('audit').select('result').where('action', '=', 'templates.publish').where('result', '!=', 'ok').execute();
    expect(audit.map((r) => r.result).sort()).toEqual(['denied', 'failed', 'failed', 'failed', 'failed']);
  });

  it('lists the latest version of each template by default, and every version with all', async () => {
    const latest = await p.caller(alice).templates.list();
    expect(latest.items.filter((t) => t.name === 'team-dev').map((t) => t.ref)).toEqual(['team-dev@2']);
    expect(latest.items.map((t) => t.name)).toEqual(expect.arrayContaining(['sim-dev', 'eks-standard', 'gke-standard', 'aks-standard']));
    const all = await p.caller(alice).templates.list({ all: true, name: 'team-dev' });
    expect(all.items.map((t) => t.ref)).toEqual(['team-dev@2', 'team-dev@1']);
    const sims = await p.caller(alice).templates.list({ cloud: 'sim' });
    expect(new Set(sims.items.map((t) => t.cloud))).toEqual(new Set(['sim']));
    await expectTrpcError(p.caller().templates.list(), 'UNAUTHORIZED');
  });

  it('gets a template by name (latest) or name@version, with its definition and versions', async () => {
    expect(await p.caller(alice).templates.get({ name: 'team-dev' })).toMatchObject({ ref: 'team-dev@2', versions: [1, 2], definition: { version: 2 } });
    expect(await p.caller(alice).templates.get({ name: 'team-dev@1' })).toMatchObject({ ref: 'team-dev@1', definition: { version: 1 } });
    await expectTrpcError(p.caller(alice).templates.get({ name: 'team-dev@9' }), 'NOT_FOUND', /team-dev@9 does not exist/);
    await expectTrpcError(p.caller(alice).templates.get({ name: 'Not A Ref' }), 'BAD_REQUEST', /not a template reference/);
  });

  it('deprecates one version: it stays readable, clusters.create refuses it with the message, the other version still works', async () => {
    await expectTrpcError(p.caller(lead).templates.deprecate({ name: 'team-dev@1', message: 'use team-dev@2' }), 'FORBIDDEN');
    await expectTrpcError(p.caller(admin).templates.deprecate({ name: 'team-dev@1', message: '  ' }), 'BAD_REQUEST', /message/);
    await expectTrpcError(p.caller(admin).templates.deprecate({ name: 'ghost', message: 'x' }), 'NOT_FOUND');

    const { items } = await p.caller(admin).templates.deprecate({ name: 'team-dev@1', message: 'use team-dev@2' });
    expect(items).toEqual([expect.objectContaining({ ref: 'team-dev@1', deprecated: true, deprecationMessage: 'use team-dev@2' })]);
    expect(await p.caller(alice).templates.get({ name: 'team-dev@1' })).toMatchObject({ deprecated: true, deprecationMessage: 'use team-dev@2' });
    await expectTrpcError(p.caller(alice).clusters.create({ name: 'old', template: 'team-dev@1' }), 'PRECONDITION_FAILED', /team-dev@1 is deprecated: use team-dev@2/);
    const { cluster } = await p.caller(alice).clusters.create({ name: 'new', template: 'team-dev' });
    expect(cluster.template).toBe('team-dev@2');
  });

  it('deprecates every version by name; existing clusters keep their template', async () => {
    const { items } = await p.caller(admin).templates.deprecate({ name: 'team-dev', message: 'retired: use sim-dev' });
    expect(items.map((t) => [t.ref, t.deprecated])).toEqual([['team-dev@1', true], ['team-dev@2', true]]);
    const latest = await p.caller(alice).templates.list({ name: 'team-dev' });
    expect(latest.items).toEqual([expect.objectContaining({ ref: 'team-dev@2', deprecated: true, deprecationMessage: 'retired: use sim-dev' })]);
    await expectTrpcError(p.caller(alice).clusters.create({ name: 'newer', template: 'team-dev' }), 'PRECONDITION_FAILED', /retired: use sim-dev/);
    expect(await p.caller(alice).clusters.get({ name: 'new' })).toMatchObject({ cluster: { template: 'team-dev@2' } });
  });

  it('marks a template published with `deprecated:` as deprecated from the start', async () => {
    const yaml = simDev.replace(/^name: sim-dev$/m, 'name: legacy-dev').replace(/^cloud: sim$/m, 'cloud: sim\ndeprecated: kept for old clusters only');
    const { template } = await p.caller(admin).templates.publish({ yaml });
    expect(template).toMatchObject({ ref: 'legacy-dev@1', deprecated: true, deprecationMessage: 'kept for old clusters only' });
    await expectTrpcError(p.caller(alice).clusters.create({ name: 'legacy', template: 'legacy-dev' }), 'PRECONDITION_FAILED', /kept for old clusters only/);
  });
});
