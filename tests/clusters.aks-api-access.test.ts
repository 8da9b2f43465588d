/**
 * A public AKS API server with no authorised CIDRs is refused by the API itself (clusters.create,
 * clusters.update, clusters.plan), not only when the worker later dispatches the program.
 * https://learn.microsoft.com/azure/aks/api-server-authorized-ip-ranges : an empty
 * `--api-server-authorized-ip-ranges ""` *disables* authorised IP ranges, i.e. an empty
 * `authorizedIPRanges` lets every address reach the public API server — the opposite of what an
 * empty `authorizedCidrs` means on EKS (no public access) or GKE (no authorised network).
 * createCaller against real PostgreSQL; no worker runs here.
 */
import { DomainError } from '../platform/errors.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../api/auth/tokens.ts';
import { expectTrpcError } from './support/errors.ts';
import { testPlatform, type TestPlatform } from './support/services.ts';

const GROUP = '3f2504e0-4f89-41d3-9a0c-0305e82c3301';

function expectCidrIssue(err: { cause?: unknown }) {
  const cause = err.cause as DomainError;
  expect(cause).toBeInstanceOf(DomainError);
  expect(cause.code).toBe('VALIDATION');
  expect(cause.issues.map((i) => i.path)).toEqual(['networking.authorizedCidrs']);
  expect(cause.hint).toMatch(/networking\.authorizedCidrs/);
  expect(cause.hint).toMatch(/privateEndpoint/);
}

describe('AKS API server access at the API', () => {
  let p: TestPlatform;
  let alice: Actor;

  beforeAll(async () => {
    p = await testPlatform();
    const team = await p.team('payments', { maxClusters: 10, maxTotalNodes: 200 });
    alice = await p.actor('alice', 'member', team);
    const admin = await p.actor('root', 'platform-admin', null);
    await p.caller(admin).targets.create({
      name: 'azure-prod', cloud: 'azure', region: 'westeurope', account: '00000000-0000-0000-0000-000000000001',
      dnsZones: ['prod.example.com'], settings: { adminGroupObjectIds: [GROUP] },
    });
  }, 120_000);
  afterAll(() => p?.close());

  it('clusters.create refuses a public API server with empty authorizedCidrs, naming the field and the fix', async () => {
    const err = await expectTrpcError(
      p.caller(alice).clusters.create({ name: 'open', template: 'aks-standard', target: 'azure-prod', set: ['apiAccessCidrs='] }),
      'BAD_REQUEST',
      /networking\.authorizedCidrs/,
    );
    expectCidrIssue(err);
    const stored = await p.services.db.selectFrom('clusters').select('id').where('name', '=', 'open').execute();
    expect(stored).toEqual([]);
  });

  it('clusters.create accepts the same template with CIDRs; a private API server without any is not refused for its CIDRs', async () => {
    const { cluster } = await p.caller(alice).clusters.create({ name: 'limited', template: 'aks-standard', target: 'azure-prod', set: ['apiAccessCidrs=203.0.113.0/24'] });
    expect(cluster.name).toBe('limited');
    // a private API server needs no CIDRs: the AKS rule does not fire. (aks-production plans it in
    // a network the cluster creates, which no worker is in, so the endpoint reachability rule,
    // platform/api-endpoint-reachability.ts, refuses it on networking.privateEndpoint instead.)
    const priv = await expectTrpcError(p.caller(alice).clusters.create({ name: 'private', template: 'aks-production', target: 'azure-prod' }), 'BAD_REQUEST', /networking\.privateEndpoint/);
    const paths = ((priv.cause as { issues?: { path: string }[] } | undefined)?.issues ?? []).map((i) => i.path);
    expect(paths).toEqual(['networking.privateEndpoint']);
  });

  it('clusters.update and clusters.plan refuse emptying authorizedCidrs of a public cluster', async () => {
    // the cluster of the previous test is queued (no worker); mark it ready as the worker would
    const row = await p.services.db.updateTable('clusters').set({ status: 'ready' }).where('name', '=', 'limited').returning('id').executeTakeFirstOrThrow();
    await p.services.db.updateTable('operations').set({ status: 'succeeded', finished_at: new Date() }).where('cluster_id', '=', row.id).execute();
    const update = await expectTrpcError(p.caller(alice).clusters.update({ name: 'limited', set: ['apiAccessCidrs='] }), 'BAD_REQUEST', /networking\.authorizedCidrs/);
    expectCidrIssue(update);
    const plan = await expectTrpcError(p.caller(alice).clusters.plan({ name: 'limited', set: ['apiAccessCidrs='] }), 'BAD_REQUEST', /networking\.authorizedCidrs/);
    expectCidrIssue(plan);
    const ops = await p.services.db.selectFrom('operations').innerJoin('clusters', 'clusters.id', 'operations.cluster_id').select('operations.kind').where('clusters.name', '=', 'limited').execute();
    expect(ops.map((o) => o.kind)).toEqual(['create']);
  });
});
