/** versions.* and the version warning of clusters.get/list, through createCaller against real PostgreSQL. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../api/auth/tokens.ts';
import type { LiveTarget, LiveVersionSource } from '../api/versions/live-versions.ts';
import { DEFAULT_VERSION_POLICY, supportPhase } from '../platform/version-policy.ts';
import { expectTrpcError } from './support/errors.ts';
import { testPlatform, type TestPlatform } from './support/services.ts';

const awsTarget = { name: 'aws-prod', cloud: 'aws' as const, region: 'eu-west-1', account: '123456789012', dnsZones: ['prod.example.com'], settings: { platformAdminRoleArn: 'arn:aws:iam::123456789012:role/kaas-admin' } };

describe('versions router', () => {
  let p: TestPlatform;
  let admin: Actor;
  let alice: Actor;
  let outsider: Actor;
  beforeAll(async () => {
    p = await testPlatform();
    admin = await p.actor('root', 'platform-admin', null);
    const team = await p.team('payments');
    alice = await p.actor('alice', 'member', team);
    outsider = await p.actor('otto', 'member', await p.team('other'));
    await p.caller(admin).targets.create({ ...awsTarget, allowedTeams: ['payments'] });
  });
  afterAll(() => p.close());

  it('lists every cloud from the calendar: phase on the day, dates, default, source and asOf', async () => {
    const { on, clouds } = await p.caller(alice).versions.list();
    expect(clouds.map((c) => c.cloud)).toEqual(['sim', 'aws', 'gcp', 'azure']);
    const aws = clouds.find((c) => c.cloud === 'aws')!;
    expect(aws).toMatchObject({ list: 'static', source: DEFAULT_VERSION_POLICY.aws.source, asOf: DEFAULT_VERSION_POLICY.aws.asOf, maxNodeSkew: 3 });
    expect(aws.versions.map((v) => v.version)).toEqual(DEFAULT_VERSION_POLICY.aws.minors.map((m) => m.version));
    for (const v of aws.versions) expect(v.phase, v.version).toBe(supportPhase(DEFAULT_VERSION_POLICY, 'aws', v.version, on));
    expect(aws.versions.find((v) => v.version === '1.31')).toMatchObject({ phase: 'end-of-support', endOfStandardSupport: '2025-11-26', endOfExtendedSupport: '2026-11-26' });
    expect(aws.versions.filter((v) => v.default)).toHaveLength(1);
    expect((await p.caller(alice).versions.list({ cloud: 'azure' })).clouds.map((c) => c.cloud)).toEqual(['azure']);
  });

  it('refuses anonymous callers, unknown keys and targets the caller cannot see', async () => {
    await expectTrpcError(p.caller().versions.list(), 'UNAUTHORIZED');
    await expectTrpcError(p.caller(alice).versions.list({ cloud: 'aws', extra: 1 } as never), 'BAD_REQUEST');
    await expectTrpcError(p.caller(outsider).versions.list({ target: 'aws-prod' }), 'NOT_FOUND');
    await expectTrpcError(p.caller(alice).versions.list({ target: 'aws-prod', cloud: 'gcp' }), 'BAD_REQUEST');
  });

  it('with a target, reads the live list and says so; merges the cloud’s dates with the calendar', async () => {
    const seen: LiveTarget[] = [];
    const source: LiveVersionSource = {
      async listVersions(t) {
        seen.push(t);
        return [
          { version: '1.35', default: true, endOfStandardSupport: '2027-03-27', endOfExtendedSupport: '2028-03-27', status: 'STANDARD_SUPPORT' },
          { version: '1.38', endOfStandardSupport: '2099-01-01', status: 'STANDARD_SUPPORT' },
        ];
      },
    };
    p.services.versionSource = source;
    try {
      const { clouds } = await p.caller(alice).versions.list({ target: 'aws-prod' });
      expect(seen).toEqual([{ name: 'aws-prod', cloud: 'aws', region: 'eu-west-1', account: '123456789012' }]);
      expect(clouds).toHaveLength(1);
      const live = clouds[0]!;
      expect(live).toMatchObject({ cloud: 'aws', list: 'live', target: 'aws-prod', liveError: null });
      expect(live.versions.find((v) => v.version === '1.38')).toMatchObject({ phase: 'standard', offeredLive: true, default: false });
      expect(live.versions.find((v) => v.version === '1.35')).toMatchObject({ default: true, offeredLive: true });
      expect(live.versions.find((v) => v.version === '1.31')).toMatchObject({ offeredLive: false });
    } finally {
      delete p.services.versionSource;
    }
  });

  it('falls back to the calendar when the live call fails, and when no live source is configured', async () => {
    p.services.versionSource = { listVersions: async () => Promise.reject(new Error('Could not load credentials from any providers')) };
    try {
      const { clouds } = await p.caller(alice).versions.list({ target: 'aws-prod' });
      expect(clouds[0]).toMatchObject({ list: 'static-fallback', target: 'aws-prod', liveError: 'Could not load credentials from any providers', source: DEFAULT_VERSION_POLICY.aws.source });
      expect(clouds[0]!.versions.map((v) => v.version)).toEqual(DEFAULT_VERSION_POLICY.aws.minors.map((m) => m.version));
    } finally {
      delete p.services.versionSource;
    }
    const { clouds } = await p.caller(alice).versions.list({ target: 'aws-prod' });
    expect(clouds[0]).toMatchObject({ list: 'static-fallback', liveError: expect.stringContaining('no live version source') });
  });

  it('clusters.get and clusters.list flag a cluster past end of support; sim clusters carry no warning', async () => {
    const { cluster } = await p.caller(alice).clusters.create({ name: 'old', template: 'sim-dev', labels: {} });
    expect(cluster.versionWarning).toBeNull();
    // the same cluster as if it ran EKS 1.30 (end of extended support 2026-07-23, per the AWS calendar)
    const target = await p.services.db.selectFrom('targets').select('id').where('name', '=', 'aws-prod').executeTakeFirstOrThrow();
    await p.services.db.updateTable('clusters').set({ target_id: target.id, kubernetes_version: '1.30' }).where('id', '=', cluster.id).execute();
    const got = await p.caller(alice).clusters.get({ name: 'old' });
    expect(got.cluster.versionWarning).toMatchObject({ phase: 'end-of-support', message: expect.stringContaining('Kubernetes 1.30 on aws is past end of support on 2026-07-23') });
    const listed = await p.caller(alice).clusters.list();
    expect(listed.items.find((c) => c.name === 'old')?.versionWarning).toMatchObject({ phase: 'end-of-support' });
  });
});
