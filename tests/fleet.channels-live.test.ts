/**
 * The `patch` channel reading its releases from the clouds' live version lists (no injected
 * version data; the services' LiveVersionSource is a fake standing in for GKE getServerConfig and
 * AKS listKubernetesVersions, whose mapping to `newestPatch` tests/versions.live-clients.test.ts
 * checks against the real SDKs). A patch release is proposed only when every target the scope's
 * clusters at that minor run on offers it: two GKE regions offering different newest patches →
 * the older is proposed; a region whose list cannot be read → no patch proposal for its clusters'
 * minor on that cloud, with the reason logged and returned; the other clouds of the scope still
 * get theirs. EKS lists no patches (AWS applies them itself), so its target is never read.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../api/auth/tokens.ts';
import { targetRef } from '../api/clusters/create-cluster.ts';
import { runChannelCheck } from '../api/fleet/channel-check.ts';
import { newId, stackNameFor } from '../api/ids.ts';
import { findTemplate } from '../api/templates/template-store.ts';
import type { LiveMinor, LiveTarget, LiveVersionSource } from '../api/versions/live-versions.ts';
import type { Cloud } from '../platform/cluster-spec.ts';
import { resolveTemplate } from '../platform/templates.ts';
import { testPlatform, type TestPlatform } from './support/services.ts';

/** What each region's live list says (GKE: full GKE versions; AKS: MAJOR.MINOR.PATCH). */
const LISTS: Record<string, LiveMinor[] | Error> = {
  'europe-west1': [{ version: '1.34', newestPatch: '1.34.1-gke.1100000' }, { version: '1.33', default: true, newestPatch: '1.33.6-gke.1200000' }],
  'us-central1': [{ version: '1.34', newestPatch: '1.34.1-gke.1100000' }, { version: '1.33', default: true, newestPatch: '1.33.5-gke.1080000' }],
  'asia-east1': new Error('7 PERMISSION_DENIED: Permission "container.clusters.getServerConfig" denied'),
  westeurope: [{ version: '1.33', newestPatch: '1.33.7', status: 'KubernetesOfficial' }],
  'eu-west-1': [{ version: '1.33', status: 'STANDARD_SUPPORT' }],
};

describe('patch channels read the live version lists', () => {
  let p: TestPlatform;
  let admin: Actor;
  const read: LiveTarget[] = [];
  const lockHeldDuringRead: boolean[] = [];
  /** The channel check's advisory lock key ("kaaschan", api/fleet/channel-check.ts). */
  const CHANNEL_LOCK = BigInt('0x6b6161736368616e').toString();
  const warned: unknown[][] = [];

  async function insertTarget(name: string, cloud: Cloud, region: string, account: string): Promise<void> {
    await p.services.db.insertInto('targets').values({ id: newId('g'), name, cloud, region, account, allowed_teams: null, settings: '{}' }).execute();
  }

  async function insertCluster(teamName: string, name: string, targetName: string, version = '1.33'): Promise<string> {
    const db = p.services.db;
    const target = await db.selectFrom('targets').selectAll().where('name', '=', targetName).executeTakeFirstOrThrow();
    const team = await db.selectFrom('teams').select('id').where('name', '=', teamName).executeTakeFirstOrThrow();
    const template = await findTemplate(db, 'sim-dev@1');
    const overrides = { kubernetesVersion: version };
    const sim = await db.selectFrom('targets').selectAll().where('name', '=', 'sim-local').executeTakeFirstOrThrow();
    const spec = { ...resolveTemplate(template.definition, { name, team: teamName, target: targetRef(sim), overrides }), target: targetRef(target) };
    const id = newId('c');
    await db
      .insertInto('clusters')
      .values({ id, team_id: team.id, name, target_id: target.id, template: 'sim-dev@1', spec: JSON.stringify(spec), overrides: JSON.stringify(overrides), kubernetes_version: version, node_count: 2, status: 'ready', failed_operation: null, stack_name: stackNameFor(id), labels: '{}' })
      .execute();
    return id;
  }

  const ids: Record<string, string> = {};

  beforeAll(async () => {
    p = await testPlatform();
    admin = await p.actor('root', 'platform-admin', null);
    const source: LiveVersionSource = {
      listVersions: async (target) => {
        read.push(target);
        // read outside the check's transaction: the check's lock is free while a cloud answers
        const { rows } = await sql<{ got: boolean }>`select pg_try_advisory_lock(${CHANNEL_LOCK}::bigint) as got, pg_advisory_unlock(${CHANNEL_LOCK}::bigint)`.execute(p.services.db);
        lockHeldDuringRead.push(!rows[0]!.got);
        const list = LISTS[target.region];
        if (list === undefined || list instanceof Error) throw list ?? new Error(`no list for ${target.region}`);
        return list;
      },
    };
    p.services.versionSource = source;
    p.services.logger = Object.assign(Object.create(p.services.logger) as typeof p.services.logger, { warn: (...args: unknown[]) => void warned.push(args) });
    await insertTarget('gke-eu', 'gcp', 'europe-west1', 'proj');
    await insertTarget('gke-us', 'gcp', 'us-central1', 'proj');
    await insertTarget('gke-asia', 'gcp', 'asia-east1', 'proj');
    await insertTarget('aks-we', 'azure', 'westeurope', '00000000-0000-0000-0000-000000000000');
    await insertTarget('eks-ie', 'aws', 'eu-west-1', '123456789012');
    for (const team of ['geo', 'flaky']) await p.team(team, { maxClusters: 10 });
    ids['g-eu'] = await insertCluster('geo', 'g-eu', 'gke-eu');
    ids['g-us'] = await insertCluster('geo', 'g-us', 'gke-us');
    ids['g-eks'] = await insertCluster('geo', 'g-eks', 'eks-ie');
    ids['f-eu'] = await insertCluster('flaky', 'f-eu', 'gke-eu');
    ids['f-asia'] = await insertCluster('flaky', 'f-asia', 'gke-asia');
    ids['f-aks'] = await insertCluster('flaky', 'f-aks', 'aks-we');
    await p.caller(admin).fleet.setChannel({ scope: 'team', name: 'geo', channel: 'patch' });
    await p.caller(admin).fleet.setChannel({ scope: 'team', name: 'flaky', channel: 'patch' });
  });
  afterAll(async () => p?.close());

  it('proposes the older of two GKE regions’ newest patches; an unreadable region blocks only its cloud’s patch, with the reason', async () => {
    const result = await runChannelCheck(p.services, new Date());
    const proposed = result.proposed.map((r) => `${r.scope_name} ${r.target_release} ${[...r.cluster_ids].sort().join(',')}`).sort();
    expect(proposed).toEqual([
      // f-aks alone: the broken GKE region holds back flaky's GKE clusters, not its AKS one
      `flaky 1.33.7 ${ids['f-aks']}`,
      // us-central1 offers 1.33.5-gke.1080000 only: both geo GKE clusters go there, not to eu's 1.33.6
      `geo 1.33.5-gke.1080000 ${[ids['g-eu'], ids['g-us']].sort().join(',')}`,
    ]);
    // each target read once per check; EKS lists no patches, so it is not read
    expect(read.map((t) => `${t.cloud}/${t.region}/${t.account}`).sort()).toEqual(['azure/westeurope/00000000-0000-0000-0000-000000000000', 'gcp/asia-east1/proj', 'gcp/europe-west1/proj', 'gcp/us-central1/proj']);
    expect(result.liveErrors).toEqual([{ target: 'gke-asia', cloud: 'gcp', reason: expect.stringContaining('PERMISSION_DENIED') }]);
    expect(warned).toHaveLength(1);
    expect(warned[0]![0]).toMatchObject({ target: 'gke-asia', cloud: 'gcp' });
    expect(String(warned[0]![1])).toMatch(/no patch proposal/);
    // no cloud was waited on while the check held its lock (and a database connection)
    expect(lockHeldDuringRead).toEqual([false, false, false, false]);
  });

  it('once the region is readable again, the held-back clusters are proposed', async () => {
    LISTS['asia-east1'] = [{ version: '1.33', newestPatch: '1.33.6-gke.1200000' }];
    const result = await runChannelCheck(p.services, new Date());
    expect(result.liveErrors).toEqual([]);
    expect(result.proposed.map((r) => `${r.scope_name} ${r.target_release} ${[...r.cluster_ids].sort().join(',')}`)).toEqual([`flaky 1.33.6-gke.1200000 ${[ids['f-eu'], ids['f-asia']].sort().join(',')}`]);
  });
});
