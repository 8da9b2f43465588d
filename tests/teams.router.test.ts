/** teams.* through createCaller against real PostgreSQL. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../api/auth/tokens.ts';
import { expectTrpcError } from './support/errors.ts';
import { testPlatform, type TestPlatform } from './support/services.ts';

describe('teams router', () => {
  let p: TestPlatform;
  let admin: Actor;
  let alice: Actor;
  let lead: Actor;
  let mallory: Actor;
  beforeAll(async () => {
    p = await testPlatform();
    admin = await p.actor('root', 'platform-admin', null);
    const payments = await p.team('payments');
    alice = await p.actor('alice', 'member', payments);
    lead = await p.actor('lead', 'team-admin', payments);
    mallory = await p.actor('mallory', 'member', await p.team('search'));
  });
  afterAll(() => p.close());

  it('lets a platform admin create a team with a quota, and audits it against the new team', async () => {
    const team = await p.caller(admin).teams.create({ name: 'data', quota: { maxClusters: 3, allowedTargets: ['sim-local'], allowedTemplates: '*' } });
    expect(team).toMatchObject({ name: 'data', quota: { maxClusters: 3, maxTotalNodes: 100, allowedTargets: ['sim-local'], allowedTemplates: '*' }, usage: { clusters: 0, nodes: 0 } });
    const row = await p.services.db.selectFrom('audit').selectAll().where('action', '=', 'teams.create').where('result', '=', 'ok').executeTakeFirstOrThrow();
    expect(row).toMatchObject({ actor: 'root', target: 'data', team_id: team.id });
  });

  it('defaults the quota of a team created without one', async () => {
    const team = await p.caller(admin).teams.create({ name: 'defaults' });
    expect(team.quota).toEqual({ maxClusters: 10, maxTotalNodes: 100, allowedTargets: '*', allowedTemplates: '*', monthlyBudget: null });
  });

  it('refuses a duplicate team name with CONFLICT and a hint', async () => {
    const err = await expectTrpcError(p.caller(admin).teams.create({ name: 'payments' }), 'CONFLICT', /team "payments" already exists/);
    expect((err.cause as { hint?: string }).hint).toMatch(/another name/);
  });

  it('refuses team creation by a team admin or member, and audits it as denied', async () => {
    await expectTrpcError(p.caller(lead).teams.create({ name: 'rogue' }), 'FORBIDDEN', /platform-admin/);
    await expectTrpcError(p.caller(alice).teams.create({ name: 'rogue' }), 'FORBIDDEN');
    const denied = await p.services.db.selectFrom('audit').selectAll().where('action', '=', 'teams.create').where('result', '=', 'denied').execute();
    expect(denied.map((r) => r.actor).sort()).toEqual(['alice', 'lead']);
    expect(await p.services.db.selectFrom('teams').select('id').where('name', '=', 'rogue').executeTakeFirst()).toBeUndefined();
  });

  it('rejects unknown keys and server-owned fields by name', async () => {
    await expectTrpcError(p.caller(admin).teams.create({ name: 'x', id: 'y' } as never), 'BAD_REQUEST', /"id"/);
    await expectTrpcError(p.caller(admin).teams.create({ name: 'x', quota: { maxClusters: 1, usage: 3 } } as never), 'BAD_REQUEST', /"usage"/);
  });

  it('validates the quota: negative limits, bad allow-lists, unknown targets and templates', async () => {
    await expectTrpcError(p.caller(admin).teams.create({ name: 'neg', quota: { maxClusters: -1 } }), 'BAD_REQUEST');
    await expectTrpcError(p.caller(admin).teams.create({ name: 'neg', quota: { allowedTargets: 'all' as never } }), 'BAD_REQUEST', /allowedTargets/);
    await expectTrpcError(p.caller(admin).teams.create({ name: 'neg', quota: { allowedTargets: ['nowhere'] } }), 'BAD_REQUEST', /target "nowhere" does not exist/);
    await expectTrpcError(p.caller(admin).teams.create({ name: 'neg', quota: { allowedTemplates: ['sim-dev', 'nope'] } }), 'BAD_REQUEST', /template "nope" does not exist/);
    expect(await p.services.db.selectFrom('teams').select('id').where('name', '=', 'neg').executeTakeFirst()).toBeUndefined();
  });

  it('lists every team for a platform admin and only the own team for others', async () => {
    const all = await p.caller(admin).teams.list();
    expect(all.items.map((t) => t.name)).toEqual(expect.arrayContaining(['payments', 'search', 'data']));
    const own = await p.caller(alice).teams.list();
    expect(own.items.map((t) => t.name)).toEqual(['payments']);
  });

  it('gets the own team, refuses another team with FORBIDDEN, and an unknown one with NOT_FOUND for admins', async () => {
    expect(await p.caller(alice).teams.get({ name: 'payments' })).toMatchObject({ name: 'payments' });
    await expectTrpcError(p.caller(alice).teams.get({ name: 'search' }), 'FORBIDDEN', /belongs to team "payments"/);
    // naming a team that does not exist is refused the same way, revealing nothing
    await expectTrpcError(p.caller(alice).teams.get({ name: 'ghost' }), 'FORBIDDEN');
    await expectTrpcError(p.caller(admin).teams.get({ name: 'ghost' }), 'NOT_FOUND', /team "ghost" does not exist/);
  });

  it('sets a quota partially (admins only) and the new limit binds cluster creation', async () => {
    await expectTrpcError(p.caller(lead).teams.setQuota({ name: 'payments', quota: { maxClusters: 100 } }), 'FORBIDDEN');
    await expectTrpcError(p.caller(admin).teams.setQuota({ name: 'payments', quota: {} }), 'BAD_REQUEST', /at least one quota field/);
    await expectTrpcError(p.caller(admin).teams.setQuota({ name: 'ghost', quota: { maxClusters: 1 } }), 'NOT_FOUND');
    const team = await p.caller(admin).teams.setQuota({ name: 'payments', quota: { maxClusters: 1 } });
    expect(team.quota).toEqual({ maxClusters: 1, maxTotalNodes: 100, allowedTargets: '*', allowedTemplates: '*', monthlyBudget: null });
    await p.caller(alice).clusters.create({ name: 'one', template: 'sim-dev', set: ['nodeCount=2'] });
    await expectTrpcError(p.caller(alice).clusters.create({ name: 'two', template: 'sim-dev' }), 'FORBIDDEN', /cluster quota reached: 1 of 1/);
    expect(await p.caller(alice).teams.get({ name: 'payments' })).toMatchObject({ usage: { clusters: 1, nodes: 2 } });
    const audit = await p.services.db.selectFrom('audit').selectAll().where('action', '=', 'teams.setQuota').where('result', '=', 'ok').executeTakeFirstOrThrow();
    expect(audit).toMatchObject({ target: 'payments', team_id: alice.teamId });
  });

  it('lists members: subjects with live tokens, their roles and the clusters they created', async () => {
    // a revoked and an expired token do not make members
    const ghost = await p.actor('ghost', 'member', alice.teamId);
    await p.services.db.updateTable('tokens').set({ revoked_at: new Date() }).where('id', '=', ghost.tokenId).execute();
    const old = await p.actor('old', 'member', alice.teamId);
    await p.services.db.updateTable('tokens').set({ expires_at: new Date(Date.now() - 1000) }).where('id', '=', old.tokenId).execute();
    await p.actor('lead', 'member', alice.teamId); // a second token of another role

    const { team, members } = await p.caller(alice).teams.members();
    expect(team).toMatchObject({ name: 'payments', usage: { clusters: 1, nodes: 2 } });
    expect(members).toEqual([
      expect.objectContaining({ subject: 'alice', roles: ['member'], liveTokens: 1, usage: { clusters: 1, nodes: 2 } }),
      expect.objectContaining({ subject: 'lead', roles: ['team-admin', 'member'], liveTokens: 2, usage: { clusters: 0, nodes: 0 } }),
    ]);
    await expectTrpcError(p.caller(mallory).teams.members({ team: 'payments' }), 'FORBIDDEN');
    await expectTrpcError(p.caller(admin).teams.members(), 'BAD_REQUEST', /must name the team/);
    const forAdmin = await p.caller(admin).teams.members({ team: 'search' });
    expect(forAdmin.members.map((m) => m.subject)).toEqual(['mallory']);
  });

  it('refuses anonymous callers', async () => {
    await expectTrpcError(p.caller().teams.list(), 'UNAUTHORIZED');
  });
});
