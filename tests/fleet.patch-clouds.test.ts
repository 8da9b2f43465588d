/**
 * A patch campaign over clusters on several clouds (no engine: cluster rows stored directly,
 * campaign ticks run by hand): the AKS cluster gets a real patch upgrade (control plane, then each
 * pool, pinning 1.33.5), while the EKS cluster counts as done with the reason in `kaas fleet
 * status`: EKS takes MAJOR.MINOR only and applies patch (platform) versions itself
 * (https://docs.aws.amazon.com/eks/latest/userguide/platform-versions.html; @pulumi/aws@7.48.0 eks
 * Cluster.version: "no upgrades will occur except those automatically triggered by EKS").
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../api/auth/tokens.ts';
import { targetRef } from '../api/clusters/create-cluster.ts';
import { runCampaignTick } from '../api/fleet/campaign-tick.ts';
import { runChannelCheck } from '../api/fleet/channel-check.ts';
import { channelVersionsOn } from '../api/fleet/channel-version-data.ts';
import { findTemplate } from '../api/templates/template-store.ts';
import { newId, stackNameFor } from '../api/ids.ts';
import type { Cloud } from '../platform/cluster-spec.ts';
import { resolveTemplate } from '../platform/templates.ts';
import { testPlatform, type TestPlatform } from './support/services.ts';

describe('a patch campaign across clouds', () => {
  let p: TestPlatform;
  let admin: Actor;

  async function insertCluster(name: string, cloud: Cloud, region: string, account: string): Promise<string> {
    const db = p.services.db;
    const targetId = newId('g');
    await db.insertInto('targets').values({ id: targetId, name: `${cloud}-patch`, cloud, region, account, allowed_teams: null, settings: '{}' }).execute();
    const target = await db.selectFrom('targets').selectAll().where('id', '=', targetId).executeTakeFirstOrThrow();
    const team = await db.selectFrom('teams').select('id').where('name', '=', 'mix').executeTakeFirstOrThrow();
    const template = await findTemplate(db, 'sim-dev@1');
    const overrides = { kubernetesVersion: '1.33' };
    // the sim template's shape, placed on the managed cloud's target
    const sim = await db.selectFrom('targets').selectAll().where('name', '=', 'sim-local').executeTakeFirstOrThrow();
    const spec = { ...resolveTemplate(template.definition, { name, team: 'mix', target: targetRef(sim), overrides }), target: targetRef(target) };
    const id = newId('c');
    await db
      .insertInto('clusters')
      .values({ id, team_id: team.id, name, target_id: target.id, template: 'sim-dev@1', spec: JSON.stringify(spec), overrides: JSON.stringify(overrides), kubernetes_version: '1.33', node_count: 2, status: 'ready', failed_operation: null, stack_name: stackNameFor(id), labels: '{}' })
      .execute();
    return id;
  }

  beforeAll(async () => {
    p = await testPlatform();
    admin = await p.actor('root', 'platform-admin', null);
    await p.team('mix', { maxClusters: 10 });
    await insertCluster('a-eks', 'aws', 'eu-west-1', '123456789012');
    await insertCluster('b-aks', 'azure', 'westeurope', '00000000-0000-0000-0000-000000000000');
    await p.caller(admin).fleet.setChannel({ scope: 'team', name: 'mix', channel: 'patch' });
  });
  afterAll(async () => p?.close());

  it('upgrades the AKS cluster to the patch and counts the EKS one done, with the reason', async () => {
    const now = new Date();
    const versions = channelVersionsOn(now, undefined, { aws: { '1.33': '1.33.5' }, azure: { '1.33': '1.33.5' } });
    const { proposed } = await runChannelCheck(p.services, now, { versions });
    expect(proposed.map((r) => `${r.channel} ${r.target_release} ${r.cluster_ids.length}`)).toEqual(['patch 1.33.5 2']);
    const { campaign } = await p.caller(admin).fleet.startProposal({ id: proposed[0]!.id });
    for (let i = 0; i < 3; i++) await runCampaignTick(p.services, new Date());
    const status = await p.caller(admin).fleet.status({ id: campaign!.id });
    expect(status.campaign.target).toBe('1.33.5');
    const byName = Object.fromEntries(status.clusters.map((c) => [c.name, c]));
    expect(byName['a-eks']).toMatchObject({ status: 'succeeded', reason: expect.stringMatching(/^nothing to run: EKS applies patch \(platform\) versions itself/) });
    expect(byName['b-aks']).toMatchObject({ status: 'upgrading' });
    const op = await p.services.db.selectFrom('operations').select(['kind', 'input']).where('id', '=', byName['b-aks']!.operationId!).executeTakeFirstOrThrow();
    expect(op.kind).toBe('upgrade');
    expect(op.input).toMatchObject({ toVersion: '1.33', toRelease: '1.33.5', plan: { from: '1.33', to: '1.33', release: '1.33.5' } });
    expect((op.input.plan as { steps: { kind: string; pool?: string; patch?: string }[] }).steps.map((s) => `${s.kind}${s.pool ? ` ${s.pool}` : ''} → ${s.patch}`)).toEqual(['control-plane → 1.33.5', 'node-pool general → 1.33.5', 'node-pool batch → 1.33.5']);
  });
});
