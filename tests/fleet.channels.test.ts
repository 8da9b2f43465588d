/**
 * Auto-upgrade channels through the fleet router and the channel check, with an injected clock
 * and version data (no engine: cluster rows are stored directly, campaigns tick with the same
 * clock). A new release in the version data makes `stable` propose N-1 and `patch` the new patch;
 * `pinned` never proposes; a proposal is scheduled past a maintenance exclusion and after its
 * channel's delay, auto-starts at that time, and its campaign waits for the cluster's maintenance
 * window; admins start or dismiss proposals, members cannot; an exclusion refuses a manual start.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../api/auth/tokens.ts';
import { runCampaignTick } from '../api/fleet/campaign-tick.ts';
import { runChannelCheck } from '../api/fleet/channel-check.ts';
import { channelVersionsOn } from '../api/fleet/channel-version-data.ts';
import { DEFAULT_VERSION_POLICY, type VersionPolicy } from '../platform/version-policy.ts';
import { expectTrpcError } from './support/errors.ts';
import { insertSimCluster } from './support/fleet.ts';
import { testPlatform, type TestPlatform } from './support/services.ts';

/** The sim calendar with 1.34 released on 2027-01-10 (the shipped one has it since 2024). */
const POLICY: VersionPolicy = {
  ...DEFAULT_VERSION_POLICY,
  sim: { ...DEFAULT_VERSION_POLICY.sim, minors: DEFAULT_VERSION_POLICY.sim.minors.map((m) => (m.version === '1.34' ? { ...m, released: '2027-01-10' } : m)) },
};
const T0 = new Date('2027-01-05T12:00:00Z'); // 1.29–1.33 supported: stable = 1.32
const T1 = new Date('2027-01-11T00:00:00Z'); // Monday; 1.34 released: stable = 1.33
const hours = (from: Date, h: number) => new Date(from.getTime() + h * 3600_000);
const versions = (now: Date, patch: string) => channelVersionsOn(now, POLICY, { sim: { '1.33': patch } });

describe('auto-upgrade channels', () => {
  let p: TestPlatform;
  let admin: Actor;
  let member: Actor;
  const check = (now: Date, patch = '1.33.2') => runChannelCheck(p.services, now, { versions: versions(now, patch) });
  const proposals = async () => (await p.caller(admin).fleet.proposals({})).items;
  const of = async (name: string) => (await proposals()).filter((x) => x.name === name);

  beforeAll(async () => {
    p = await testPlatform();
    admin = await p.actor('root', 'platform-admin', null);
    for (const team of ['ops', 'web', 'frozen', 'plain']) await p.team(team, { maxClusters: 10 });
    member = await p.actor('mallory', 'team-admin', (await p.services.db.selectFrom('teams').select('id').where('name', '=', 'ops').executeTakeFirstOrThrow()).id);
    await insertSimCluster(p.services.db, { team: 'ops', name: 'a1', version: '1.32' });
    await insertSimCluster(p.services.db, { team: 'ops', name: 'a2', version: '1.31' });
    await insertSimCluster(p.services.db, { team: 'web', name: 'b1', version: '1.33' });
    await insertSimCluster(p.services.db, { team: 'frozen', name: 'c1', version: '1.31' });
    await insertSimCluster(p.services.db, { team: 'plain', name: 'd1', version: '1.31' });
    // a1 may be touched only on Saturdays 02:00–06:00 UTC
    await p.caller(admin).fleet.setMaintenanceWindow({ team: 'ops', name: 'a1', window: { days: ['sat'], startUtc: '02:00', durationMinutes: 240 } });
    const c = p.caller(admin).fleet;
    await c.setChannel({ scope: 'team', name: 'ops', channel: 'stable', autoStart: true, startDelayMinutes: 60 });
    await c.setChannel({ scope: 'team', name: 'web', channel: 'patch' });
    // the template's channel would move frozen's and plain's clusters; frozen pins itself
    await c.setChannel({ scope: 'template', name: 'sim-dev', channel: 'stable' });
    await c.setChannel({ scope: 'team', name: 'frozen', channel: 'pinned' });
  });
  afterAll(async () => p?.close());

  it('refuses a channel for an unknown team and a member setting one', async () => {
    await expectTrpcError(p.caller(admin).fleet.setChannel({ scope: 'team', name: 'nobody', channel: 'stable' }), 'NOT_FOUND', /team "nobody" does not exist/);
    await expectTrpcError(p.caller(member).fleet.setChannel({ scope: 'team', name: 'ops', channel: 'pinned' }), 'FORBIDDEN');
    expect((await p.caller(admin).fleet.channels()).items.map((x) => `${x.scope}/${x.name}=${x.channel}${x.autoStart ? '+auto' : ''}`)).toEqual(['team/frozen=pinned', 'team/ops=stable+auto', 'team/web=patch', 'template/sim-dev=stable']);
  });

  it('stable proposes N-1 and patch the newest patch; pinned never proposes', async () => {
    const r = await check(T0);
    expect(r.ran).toBe(true);
    expect(r.started).toEqual([]);
    const list = await proposals();
    expect(list.map((x) => `${x.scope}/${x.name} ${x.channel} ${x.release} [${x.clusters.join(',')}] ${x.status}`).sort()).toEqual([
      'team/ops stable 1.32 [a2] proposed', // a1 is at N-1 already
      'team/web patch 1.33.2 [b1] proposed',
      'template/sim-dev stable 1.32 [d1] proposed', // c1 (team frozen, pinned) is never proposed
    ]);
    expect((await of('ops'))[0]!.scheduledAt).toBe(hours(T0, 1).toISOString());
    // the same data again proposes nothing new
    expect((await check(hours(T0, 0.5))).proposed).toEqual([]);
  });

  it('a new release in the version data makes each channel propose again; the older open proposal is superseded', async () => {
    await p.caller(admin).fleet.addExclusion({ scope: 'team', name: 'ops', kind: 'no_minor_upgrades', startsAt: T1.toISOString(), endsAt: hours(T1, 48).toISOString(), reason: 'quarter close' });
    const r = await check(T1, '1.33.3');
    expect(r.proposed.map((x) => `${x.scope_name} ${x.target_release}`).sort()).toEqual(['ops 1.33', 'sim-dev 1.33', 'web 1.33.3']);
    const ops = await of('ops');
    expect(ops.map((x) => `${x.release} ${x.status}`)).toEqual(['1.33 proposed', '1.32 dismissed']);
    expect(ops[1]!.reason).toMatch(/^superseded by 1\.33/);
    expect(ops[0]!.clusters.sort()).toEqual(['a1', 'a2']);
    // scheduled after the 60-minute delay, which falls inside the exclusion: at its end
    expect(ops[0]!.scheduledAt).toBe(hours(T1, 48).toISOString());
    expect((await of('web')).map((x) => `${x.release} ${x.status}`)).toEqual(['1.33.3 proposed', '1.33.2 dismissed']);
    expect((await of('frozen'))).toEqual([]);
  });

  it('an auto-start proposal waits for its scheduled time, then its campaign waits for the maintenance window', async () => {
    expect((await check(hours(T1, 47), '1.33.3')).started).toEqual([]);
    expect((await of('ops'))[0]!.status).toBe('proposed');
    // an exclusion added after the proposal was scheduled holds the auto-start until it ends
    await p.caller(admin).fleet.addExclusion({ scope: 'template', name: 'sim-dev', kind: 'no_upgrades', startsAt: hours(T1, 47.5).toISOString(), endsAt: hours(T1, 49).toISOString() });
    const held = await check(hours(T1, 48), '1.33.3');
    expect(held.started).toEqual([]);
    expect(held.deferred).toEqual([{ proposal: expect.any(String), reason: expect.stringMatching(/^waiting for the maintenance exclusion to end: template "sim-dev" no_upgrades/) }]);
    expect((await of('ops'))[0]).toMatchObject({ status: 'proposed', scheduledAt: hours(T1, 49).toISOString() });
    const r = await check(hours(T1, 49), '1.33.3');
    expect(r.started).toHaveLength(1);
    const [started] = await of('ops');
    expect(started).toMatchObject({ status: 'started', decidedBy: 'system:upgrade-channels', campaign: expect.stringMatching(/^auto-1-33-p/) });
    // only proposals of auto-start channels start by themselves
    expect((await of('sim-dev'))[0]!.status).toBe('proposed');

    const wed = hours(T1, 49.1); // Wednesday: a1's window (Saturday) is closed
    await runCampaignTick(p.services, wed);
    const s1 = await p.caller(admin).fleet.status({ id: started!.campaign! });
    expect(s1.campaign).toMatchObject({ kind: 'upgrade', target: '1.33', status: 'running' });
    expect(s1.clusters.map((c) => `${c.name}:${c.status}`)).toEqual(['a1:waiting_window', 'a2:pending']);
    expect(s1.clusters[0]!.reason).toMatch(/waiting for its maintenance window \(sat 02:00 UTC/);

    const sat = new Date('2027-01-16T02:30:00Z');
    await runCampaignTick(p.services, sat);
    const s2 = await p.caller(admin).fleet.status({ id: started!.campaign! });
    expect(s2.clusters.map((c) => `${c.name}:${c.status}`)).toEqual(['a1:upgrading', 'a2:pending']);
  });

  it('admins start or dismiss proposals; members cannot; an exclusion refuses a manual start', async () => {
    const [web] = await of('web');
    await expectTrpcError(p.caller(member).fleet.startProposal({ id: web!.id }), 'FORBIDDEN');
    await expectTrpcError(p.caller(member).fleet.dismissProposal({ id: web!.id }), 'FORBIDDEN');
    await expectTrpcError(p.caller(member).fleet.proposals({}), 'FORBIDDEN');

    const now = Date.now();
    const { exclusion } = await p.caller(admin).fleet.addExclusion({ scope: 'team', name: 'web', kind: 'no_upgrades', startsAt: new Date(now - 3600_000).toISOString(), endsAt: new Date(now + 86_400_000).toISOString() });
    await expectTrpcError(p.caller(admin).fleet.startProposal({ id: web!.id }), 'PRECONDITION_FAILED', /inside a maintenance exclusion: team "web" no_upgrades/);
    await p.caller(admin).fleet.removeExclusion({ id: exclusion.id });
    const { proposal, campaign } = await p.caller(admin).fleet.startProposal({ id: web!.id });
    // a patch proposal starts a real campaign: the minor stays, the patch release is pinned (platform/patch-plan.ts)
    expect(campaign).toMatchObject({ kind: 'upgrade', target: '1.33.3', status: 'running' });
    expect(proposal).toMatchObject({ status: 'started', decidedBy: 'root', campaign: campaign!.name, reason: expect.stringMatching(/^campaign auto-1-33-3-p\w+ started by root$/) });
    const status = await p.caller(admin).fleet.status({ id: campaign!.id });
    expect(status.clusters.map((c) => `${c.name}:${c.status}`)).toEqual(['b1:pending']);
    await expectTrpcError(p.caller(admin).fleet.startProposal({ id: web!.id }), 'PRECONDITION_FAILED', /is started, not proposed/);

    const [tpl] = await of('sim-dev');
    expect((await p.caller(admin).fleet.dismissProposal({ id: tpl!.id })).proposal.status).toBe('dismissed');
    // a dismissed release is not proposed again
    expect((await check(hours(T1, 50), '1.33.3')).proposed).toEqual([]);
    await expectTrpcError(p.caller(admin).fleet.startProposal({ id: 'pnothere' }), 'NOT_FOUND');
  });

  it('validates exclusions', async () => {
    await expectTrpcError(p.caller(admin).fleet.addExclusion({ scope: 'team', name: 'ops', kind: 'no_upgrades', startsAt: '2027-03-01T00:00:00Z', endsAt: '2027-05-01T00:00:00Z' }), 'BAD_REQUEST', /at most 30 days/);
    await expectTrpcError(p.caller(admin).fleet.addExclusion({ scope: 'template', name: 'nope', kind: 'no_upgrades', startsAt: '2027-03-01T00:00:00Z', endsAt: '2027-03-02T00:00:00Z' }), 'NOT_FOUND');
  });
});
