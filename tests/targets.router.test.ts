/** targets.* through createCaller against real PostgreSQL. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../api/auth/tokens.ts';
import { expectTrpcError } from './support/errors.ts';
import { testPlatform, type TestPlatform } from './support/services.ts';

describe('targets router', () => {
  let p: TestPlatform;
  let admin: Actor;
  let alice: Actor;
  let sam: Actor;
  beforeAll(async () => {
    p = await testPlatform();
    admin = await p.actor('root', 'platform-admin', null);
    alice = await p.actor('alice', 'member', await p.team('payments'));
    sam = await p.actor('sam', 'team-admin', await p.team('search'));
  });
  afterAll(() => p.close());

  const aws = { name: 'aws-prod', cloud: 'aws' as const, region: 'eu-west-1', account: '123456789012', dnsZones: ['prod.example.com'], settings: { platformAdminRoleArn: 'arn:aws:iam::123456789012:role/kaas-admin' } };

  it('lets a platform admin register a target, audited', async () => {
    const target = await p.caller(admin).targets.create({ ...aws, allowedTeams: ['payments'] });
    expect(target).toMatchObject({ name: 'aws-prod', cloud: 'aws', simulated: false, region: 'eu-west-1', account: '123456789012', dnsZones: ['prod.example.com'], allowedTeams: ['payments'] });
    const audit = await p.services.db.selectFrom('audit').selectAll().where('action', '=', 'targets.create').executeTakeFirstOrThrow();
    expect(audit).toMatchObject({ actor: 'root', target: 'aws-prod', result: 'ok' });
  });

  it('refuses a duplicate name with CONFLICT', async () => {
    await expectTrpcError(p.caller(admin).targets.create(aws), 'CONFLICT', /target "aws-prod" already exists/);
  });

  it('refuses creation by anyone but a platform admin', async () => {
    await expectTrpcError(p.caller(sam).targets.create({ ...aws, name: 'mine' }), 'FORBIDDEN');
    await expectTrpcError(p.caller(alice).targets.create({ ...aws, name: 'mine' }), 'FORBIDDEN');
    expect(await p.services.db.selectFrom('targets').select('id').where('name', '=', 'mine').executeTakeFirst()).toBeUndefined();
  });

  it.each([
    ['aws', '12345678901', 'eu-west-1', /12 digits/],
    ['aws', '12345678901a', 'eu-west-1', /12 digits/],
    ['aws', '123456789012', 'europe-west1', /AWS region/],
    ['gcp', '123456789012', 'europe-west1', /GCP project id/],
    ['gcp', 'Payments-Prod', 'europe-west1', /GCP project id/],
    ['gcp', 'abc', 'europe-west1', /GCP project id/],
    ['azure', 'payments-prod-1', 'westeurope', /GUID/],
    ['azure', '00000000-1111-2222-3333-44444444444', 'westeurope', /GUID/],
  ] as const)('rejects %s account %s / region %s', async (cloud, account, region, message) => {
    await expectTrpcError(p.caller(admin).targets.create({ name: 'bad', cloud, region, account }), 'BAD_REQUEST', message);
  });

  it.each([
    ['gcp', 'payments-prod-1', 'europe-west1'],
    ['azure', '00000000-1111-2222-3333-444444444444', 'westeurope'],
    ['sim', 'anything_goes.1', 'lab'],
  ] as const)('accepts a %s target with account %s', async (cloud, account, region) => {
    // azure targets need their admin groups (platform/target-settings.ts)
    const settings = cloud === 'azure' ? { adminGroupObjectIds: ['3f2504e0-4f89-41d3-9a0c-0305e82c3301'] } : undefined;
    const target = await p.caller(admin).targets.create({ name: `ok-${cloud}`, cloud, region, account, ...(settings ? { settings } : {}) });
    expect(target).toMatchObject({ cloud, account, region, allowedTeams: null, simulated: cloud === 'sim' });
  });

  it('refuses credential-like and server-owned fields, bad DNS zones and unknown teams', async () => {
    await expectTrpcError(p.caller(admin).targets.create({ ...aws, name: 'creds', secretAccessKey: 'abc' } as never), 'BAD_REQUEST', /"secretAccessKey"/);
    await expectTrpcError(p.caller(admin).targets.create({ ...aws, name: 'creds', credentials: { key: 'x' } } as never), 'BAD_REQUEST', /"credentials"/);
    await expectTrpcError(p.caller(admin).targets.create({ ...aws, name: 'x', id: 'y' } as never), 'BAD_REQUEST', /"id"/);
    await expectTrpcError(p.caller(admin).targets.create({ ...aws, name: 'zones', dnsZones: ['not a zone'] }), 'BAD_REQUEST', /dnsZones/);
    await expectTrpcError(p.caller(admin).targets.create({ ...aws, name: 'teams', allowedTeams: ['payments', 'ghost'] }), 'BAD_REQUEST', /team "ghost" does not exist/);
  });

  it('shows a member only the targets open to their team, without the allow-list', async () => {
    const forAlice = await p.caller(alice).targets.list();
    expect(forAlice.items.map((t) => t.name)).toEqual(['aws-prod', 'ok-azure', 'ok-gcp', 'ok-sim', 'sim-local']);
    expect(forAlice.items[0]).not.toHaveProperty('allowedTeams');
    const forSam = await p.caller(sam).targets.list();
    expect(forSam.items.map((t) => t.name)).not.toContain('aws-prod');
    const forAdmin = await p.caller(admin).targets.list({ cloud: 'aws' });
    expect(forAdmin.items.map((t) => t.name)).toEqual(['aws-prod']);
  });

  it('gets a visible target, and reports a closed one like an unknown one', async () => {
    expect(await p.caller(alice).targets.get({ name: 'aws-prod' })).toMatchObject({ name: 'aws-prod' });
    await expectTrpcError(p.caller(sam).targets.get({ name: 'aws-prod' }), 'NOT_FOUND', /does not exist or is not open to team "search"/);
    await expectTrpcError(p.caller(sam).targets.get({ name: 'nowhere' }), 'NOT_FOUND');
    await expectTrpcError(p.caller().targets.get({ name: 'aws-prod' }), 'UNAUTHORIZED');
  });

  it('updates the allow-list and DNS zones (admins only); null reopens a target to every team', async () => {
    await expectTrpcError(p.caller(sam).targets.update({ name: 'aws-prod', allowedTeams: ['search'] }), 'FORBIDDEN');
    await expectTrpcError(p.caller(admin).targets.update({ name: 'aws-prod' }), 'BAD_REQUEST', /at least one change/);
    await expectTrpcError(p.caller(admin).targets.update({ name: 'ghost', dnsZones: [] }), 'NOT_FOUND');
    await expectTrpcError(p.caller(admin).targets.update({ name: 'aws-prod', region: 'us-east-1' } as never), 'BAD_REQUEST', /"region"/);

    const updated = await p.caller(admin).targets.update({ name: 'aws-prod', allowedTeams: ['search', 'search'] });
    expect(updated).toMatchObject({ allowedTeams: ['search'], dnsZones: ['prod.example.com'] });
    await p.caller(sam).targets.get({ name: 'aws-prod' });
    await expectTrpcError(p.caller(alice).targets.get({ name: 'aws-prod' }), 'NOT_FOUND');

    const reopened = await p.caller(admin).targets.update({ name: 'aws-prod', allowedTeams: null, dnsZones: ['b.example.com', 'a.example.com'] });
    expect(reopened).toMatchObject({ allowedTeams: null, dnsZones: ['a.example.com', 'b.example.com'] });
    await p.caller(alice).targets.get({ name: 'aws-prod' });
  });

  it('a closed sim target is not offered to clusters.create', async () => {
    await p.caller(admin).targets.update({ name: 'ok-sim', allowedTeams: ['search'] });
    // payments sees only sim-local among sim targets, so the create picks it without --target
    const { cluster } = await p.caller(alice).clusters.create({ name: 'web', template: 'sim-dev' });
    expect(cluster.target).toBe('sim-local');
    await expectTrpcError(p.caller(alice).clusters.create({ name: 'web2', template: 'sim-dev', target: 'ok-sim' }), 'NOT_FOUND', /not open to team "payments"/);
  });
});
