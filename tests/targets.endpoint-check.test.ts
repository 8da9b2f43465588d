/**
 * Whether the worker can reach the API server a spec plans, through the API on real PostgreSQL:
 * `targets.check` reports it per template (or for one template with overrides), and
 * `clusters.create` / `clusters.update` refuse a spec the worker cannot reach, naming the
 * networking field and the fix. The rule itself: platform/api-endpoint-reachability.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../api/auth/tokens.ts';
import { loadConfig } from '../api/config.ts';
import { createContextInner } from '../api/context.ts';
import { appRouter } from '../api/routers/app-router.ts';
import { createCallerFactory } from '../api/trpc.ts';
import { DomainError } from '../platform/errors.ts';
import { expectTrpcError } from './support/errors.ts';
import { testPlatform, type TestPlatform } from './support/services.ts';

const ROLE = 'arn:aws:iam::123456789012:role/kaas-platform-admin';
const EGRESS = '198.51.100.7/32';
const createCaller = createCallerFactory(appRouter);

describe('API endpoint reachability: targets.check and the create / update refusal', () => {
  let p: TestPlatform;
  let alice: Actor;
  let admin: Actor;
  /** A caller whose platform's worker egresses from `egress` (KAAS_WORKER_EGRESS_CIDRS), or has it unset. */
  const as = (actor: Actor, egress: string | undefined) => {
    const config = loadConfig({ KAAS_HOME: p.home, KAAS_LOG_LEVEL: 'silent', ...(egress ? { KAAS_WORKER_EGRESS_CIDRS: egress } : {}) });
    return createCaller(createContextInner({ services: { ...p.services, config }, actor }));
  };

  beforeAll(async () => {
    p = await testPlatform();
    alice = await p.actor('alice', 'member', await p.team('payments', { maxClusters: 20, maxTotalNodes: 500 }));
    admin = await p.actor('root', 'platform-admin', null);
    await p.caller(admin).targets.create({ name: 'aws-prod', cloud: 'aws', region: 'eu-west-1', account: '123456789012', dnsZones: ['prod.example.com'], settings: { platformAdminRoleArn: ROLE } });
  }, 120_000);
  afterAll(() => p?.close());

  it('targets.check judges the endpoint of every current template of the target’s cloud, each failure with its fix', async () => {
    const check = await as(admin, EGRESS).targets.check({ name: 'aws-prod' });
    const endpoint = check.items.filter((i) => i.check === 'endpoint');
    expect(endpoint.map((i) => i.detail.split(':')[0])).toEqual(['template eks-production@1', 'template eks-standard@1']);
    expect(check.ok).toBe(false);
    // eks-production: a private API server in a VPC the cluster creates — no worker is in it
    expect(endpoint[0]).toMatchObject({ ok: false, detail: expect.stringMatching(/private/), fix: expect.stringMatching(/workerNetworks/) });
    // eks-standard: public, but its default authorizedCidrs (10.0.0.0/8) do not admit the worker
    expect(endpoint[1]).toMatchObject({ ok: false, fix: expect.stringContaining(`add ${EGRESS} to networking.authorizedCidrs`) });
  });

  it('targets.check --template T --set judges that one spec', async () => {
    const ok = await as(admin, EGRESS).targets.check({ name: 'aws-prod', template: 'eks-standard', set: ['apiAccessCidrs=198.51.100.0/24'] });
    expect(ok.items.filter((i) => i.check === 'endpoint')).toEqual([{ check: 'endpoint', ok: true, detail: expect.stringMatching(/^template eks-standard@1 with apiAccessCidrs=198\.51\.100\.0\/24: .*within networking\.authorizedCidrs/) }]);
    await expectTrpcError(as(admin, EGRESS).targets.check({ name: 'aws-prod', template: 'gke-standard' }), 'BAD_REQUEST', /gke-standard@1 is for gcp/);
  });

  it('without KAAS_WORKER_EGRESS_CIDRS a restricted public endpoint cannot be judged, and says which setting to configure', async () => {
    const check = await as(admin, undefined).targets.check({ name: 'aws-prod', template: 'eks-standard' });
    expect(check.items.find((i) => i.check === 'endpoint')).toMatchObject({ ok: false, detail: expect.stringMatching(/cannot tell/), fix: expect.stringMatching(/KAAS_WORKER_EGRESS_CIDRS/) });
  });

  it('clusters.create refuses a public endpoint that does not admit the worker, naming authorizedCidrs and the CIDR to add; nothing is stored', async () => {
    const err = await expectTrpcError(as(alice, EGRESS).clusters.create({ name: 'web', template: 'eks-standard', target: 'aws-prod' }), 'BAD_REQUEST', /networking\.authorizedCidrs: .*198\.51\.100\.7\/32 is outside/);
    expect(err.cause).toBeInstanceOf(DomainError);
    expect((err.cause as DomainError).issues.map((i) => i.path)).toEqual(['networking.authorizedCidrs']);
    expect((err.cause as DomainError).hint).toMatch(/add 198\.51\.100\.7\/32 to networking\.authorizedCidrs/);
    expect(await p.services.db.selectFrom('clusters').select('id').where('name', '=', 'web').executeTakeFirst()).toBeUndefined();
    // admitted once the worker's address is in the list
    await as(alice, EGRESS).clusters.create({ name: 'web', template: 'eks-standard', target: 'aws-prod', set: ['apiAccessCidrs=198.51.100.0/24'] });
  });

  it('clusters.create refuses a private endpoint in a network the worker is not in, whatever the egress', async () => {
    for (const egress of [EGRESS, undefined]) {
      const err = await expectTrpcError(as(alice, egress).clusters.create({ name: 'private', template: 'eks-production', target: 'aws-prod' }), 'BAD_REQUEST', /networking\.privateEndpoint: /);
      expect((err.cause as DomainError).hint).toMatch(/workerNetworks/);
    }
  });

  it('clusters.create leaves "cannot tell" to the worker’s check (egress not configured)', async () => {
    const { cluster } = await as(alice, undefined).clusters.create({ name: 'unknown-egress', template: 'eks-standard', target: 'aws-prod' });
    expect(cluster.name).toBe('unknown-egress');
  });

  it('clusters.update refuses a change that locks the worker out', async () => {
    await expectTrpcError(as(alice, EGRESS).clusters.update({ name: 'web', set: ['apiAccessCidrs=203.0.113.0/24'] }), 'BAD_REQUEST', /networking\.authorizedCidrs: .*198\.51\.100\.7\/32 is outside/);
  });

  it('KAAS_WORKER_EGRESS_CIDRS must be IPv4 CIDRs: a bad value stops start-up naming it', () => {
    expect(() => loadConfig({ KAAS_WORKER_EGRESS_CIDRS: '198.51.100.7' })).toThrow(/KAAS_WORKER_EGRESS_CIDRS: must be comma-separated IPv4 CIDRs/);
    expect(loadConfig({ KAAS_WORKER_EGRESS_CIDRS: ' 198.51.100.7/32, 203.0.113.0/28 ' }).workerEgressCidrs).toEqual(['198.51.100.7/32', '203.0.113.0/28']);
    expect(loadConfig({}).workerEgressCidrs).toBeUndefined();
  });

  it('targets.update accepts workerNetworks, and targets.create refuses a malformed one naming the field', async () => {
    const t = await p.caller(admin).targets.update({ name: 'aws-prod', settings: { platformAdminRoleArn: ROLE, workerNetworks: ['vpc-1'] } });
    expect(t.name).toBe('aws-prod');
    await expectTrpcError(p.caller(admin).targets.create({ name: 'aws-bad', cloud: 'aws', region: 'eu-west-1', account: '123456789012', settings: { platformAdminRoleArn: ROLE, workerNetworks: [''] } }), 'BAD_REQUEST', /settings\.workerNetworks\.0/);
  });
});
