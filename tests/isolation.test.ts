/**
 * Tenant isolation across EVERY procedure of the app router. The procedure set is read from
 * `appRouter._def.procedures`, so a new procedure fails this file until it gets an entry in
 * ATTACKS (team B aims it at team A's resources) or, with a reason, in NOT_TEAM_SCOPED.
 * Also: anonymous, revoked and expired tokens are refused everywhere, and members cannot use
 * admin-only procedures.
 */
import type { AddressInfo } from 'node:net';
import type http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../api/auth/tokens.ts';
import { SHIPPED_TEMPLATES_DIR } from '../api/bootstrap.ts';
import { createMetrics } from '../api/metrics.ts';
import { appRouter } from '../api/routers/app-router.ts';
import { createServer } from '../api/server.ts';
import { testPlatform, type TestPlatform } from './support/services.ts';
import { dispatchEvents } from '../api/webhooks/dispatch-events.ts';

type TokenActor = Actor & { token: string };
type Procedure = { _def: { type: 'query' | 'mutation' | 'subscription'; middlewares: { name: string }[] } };
const PROCEDURES = appRouter._def.procedures as unknown as Record<string, Procedure>;
const PATHS = Object.keys(PROCEDURES).sort();

/** Team A's resources the attacks aim at, and values of A that must never reach team B. */
interface Fixture {
  teamA: string;
  clusterA: string;
  targetA: string;
  operationA: string;
  tokenIdA: string;
  /** A pending approval request of team A (its protected cluster's delete). */
  approvalA: string;
  /** Team A's webhook subscription and one of its deliveries. */
  webhookA: string;
  deliveryA: string;
  /** Server-side values of team A an attacker never supplies; no answer to B may contain them. */
  secrets: string[];
}

const CLUSTER_A = 'secret-a';
const TARGET_A = 'sim-alpha';
const simDevYaml = fs.readFileSync(path.join(SHIPPED_TEMPLATES_DIR, 'sim-dev.yaml'), 'utf8');

/**
 * For every team-scoped procedure: inputs with which a member or team admin of team B reaches for
 * team A's cluster, target, token or team. Each must end in NOT_FOUND, FORBIDDEN or UNAUTHORIZED.
 */
const ATTACKS: Record<string, (f: Fixture) => unknown[]> = {
  'clusters.create': (f) => [
    { team: f.teamA, name: 'mole', template: 'sim-dev' },
    { name: 'mole', template: 'sim-dev', target: f.targetA },
  ],
  'clusters.createPreview': (f) => [
    { team: f.teamA, name: 'mole', template: 'sim-dev' },
    { name: 'mole', template: 'sim-dev', target: f.targetA },
  ],
  'clusters.list': (f) => [{ team: f.teamA }, { team: f.teamA, search: 'secret' }],
  'clusters.get': (f) => [{ name: f.clusterA }, { team: f.teamA, name: f.clusterA }, { name: f.clusterA, includeDeleted: true }],
  'clusters.plan': (f) => [{ name: f.clusterA }, { team: f.teamA, name: f.clusterA, set: ['nodeCount=3'] }],
  'clusters.update': (f) => [{ name: f.clusterA, set: ['nodeCount=3'] }, { team: f.teamA, name: f.clusterA, set: ['nodeCount=3'] }],
  'clusters.delete': (f) => [{ name: f.clusterA, confirm: f.clusterA }, { team: f.teamA, name: f.clusterA, confirm: f.clusterA }],
  'clusters.drift': (f) => [{ name: f.clusterA }, { team: f.teamA, name: f.clusterA }],
  'clusters.extend': (f) => [{ name: f.clusterA, by: '1d' }, { team: f.teamA, name: f.clusterA, by: '1d' }],
  'clusters.hibernate': (f) => [{ name: f.clusterA }, { team: f.teamA, name: f.clusterA }],
  'clusters.wake': (f) => [{ name: f.clusterA }, { team: f.teamA, name: f.clusterA }],
  'clusters.setHibernation': (f) => [{ name: f.clusterA, hibernate: null }, { team: f.teamA, name: f.clusterA, hibernate: null }],
  'clusters.reconcile': (f) => [{ name: f.clusterA }, { team: f.teamA, name: f.clusterA }],
  'clusters.retry': (f) => [{ name: f.clusterA }, { team: f.teamA, name: f.clusterA }],
  'clusters.upgrade': (f) => [{ name: f.clusterA, to: '1.34' }, { team: f.teamA, name: f.clusterA, to: '1.34' }, { name: f.clusterA, resume: true }],
  'clusters.rollback': (f) => [{ name: f.clusterA }, { team: f.teamA, name: f.clusterA }, { team: f.teamA, name: f.clusterA, planOnly: true }],
  'clusters.operations': (f) => [{ name: f.clusterA }, { team: f.teamA, name: f.clusterA }],
  'clusters.events': (f) => [{ name: f.clusterA, operationId: f.operationA }, { team: f.teamA, name: f.clusterA }],
  'clusters.kubeconfig': (f) => [{ name: f.clusterA }, { team: f.teamA, name: f.clusterA }],
  'clusters.changes': (f) => [{ team: f.teamA }],
  'operations.events': (f) => [{ operationId: f.operationA }, { operationId: f.operationA, after: 0 }],
  'teams.create': () => [{ name: 'beta-annex', quota: { maxClusters: 100 } }],
  'teams.get': (f) => [{ name: f.teamA }],
  'teams.setQuota': (f) => [{ name: f.teamA, quota: { maxClusters: 0 } }, { name: 'beta', quota: { maxClusters: 1000 } }],
  'teams.members': (f) => [{ team: f.teamA }],
  'tokens.create': (f) => [{ team: f.teamA, subject: 'mole', role: 'team-admin' }, { subject: 'mole', role: 'platform-admin' }],
  'tokens.list': (f) => [{ team: f.teamA }, { team: f.teamA, includeInactive: true }],
  'tokens.revoke': (f) => [{ id: f.tokenIdA }],
  'targets.get': (f) => [{ name: f.targetA }],
  'targets.create': () => [{ name: 'sim-mole', cloud: 'sim', region: 'lab', account: 'mole', allowedTeams: ['beta'] }],
  'targets.update': (f) => [{ name: f.targetA, allowedTeams: ['beta'] }, { name: f.targetA, allowedTeams: null }],
  'targets.check': (f) => [{ name: f.targetA }],
  // without a target versions.list is the public calendar; with one it reads that target's cloud
  'versions.list': (f) => [{ target: f.targetA }, { target: f.targetA, cloud: 'sim' }],
  'templates.publish': () => [{ yaml: simDevYaml.replace(/^name: sim-dev$/m, 'name: mole-dev') }],
  'templates.deprecate': () => [{ name: 'sim-dev', message: 'use mole-dev' }],
  'audit.list': (f) => [{ team: f.teamA }, {}],
  'templates.rolloutPreview': () => [{ name: 'sim-dev', toVersion: 1 }],
  'fleet.plan': (f) => [{ targetVersion: '1.34', selector: { team: f.teamA }, waves: { canary: 0, percentages: [100] } }],
  'fleet.start': (f) => [{ name: 'mole-campaign', targetVersion: '1.34', selector: { team: f.teamA }, waves: { canary: 0, percentages: [100] } }],
  'fleet.status': () => [{ id: 'some-campaign' }],
  'fleet.list': () => [{}],
  'fleet.campaignProgress': () => [{ campaignId: 'some-campaign' }],
  'fleet.pause': () => [{ id: 'some-campaign' }],
  'fleet.resume': () => [{ id: 'some-campaign' }],
  'fleet.cancel': () => [{ id: 'some-campaign' }],
  'fleet.approve': () => [{ id: 'some-campaign' }],
  'approvals.list': (f) => [{ team: f.teamA }, { team: f.teamA, status: 'pending' }],
  'approvals.get': (f) => [{ id: f.approvalA }],
  'approvals.approve': (f) => [{ id: f.approvalA }, { id: f.approvalA, reason: 'looks fine' }],
  'approvals.reject': (f) => [{ id: f.approvalA, reason: 'no' }],
  'fleet.setMaintenanceWindow': (f) => [{ team: f.teamA, name: f.clusterA, window: null }],
  'fleet.overview': (f) => [{ team: f.teamA }],
  'fleet.channels': () => [undefined],
  'fleet.setChannel': (f) => [{ scope: 'team', name: f.teamA, channel: 'stable' }],
  'fleet.clearChannel': (f) => [{ scope: 'team', name: f.teamA }],
  'fleet.exclusions': () => [undefined],
  'fleet.addExclusion': (f) => [{ scope: 'team', name: f.teamA, kind: 'no_upgrades', startsAt: '2027-01-01T00:00:00Z', endsAt: '2027-01-02T00:00:00Z' }],
  'fleet.removeExclusion': () => [{ id: 'some-exclusion' }],
  'fleet.proposals': () => [{}],
  'fleet.startProposal': () => [{ id: 'some-proposal' }],
  'fleet.dismissProposal': () => [{ id: 'some-proposal' }],
  'fleet.retry': () => [{ id: 'some-campaign' }],
  'admin.locks.list': (f) => [{ cluster: f.clusterA }, { cluster: f.clusterA, team: f.teamA }, {}],
  'admin.locks.clear': (f) => [{ cluster: f.clusterA, team: f.teamA, reason: 'stuck since the outage', force: true }],
  'sso.rules.list': () => [undefined],
  'sso.rules.add': (f) => [{ group: 'steal-alpha', role: 'team-admin', team: f.teamA }, { group: 'steal-all', role: 'platform-admin' }],
  'sso.rules.remove': () => [{ id: 'r000000000000' }],
  'webhooks.create': (f) => [{ team: f.teamA, url: 'https://93.184.215.14/mole', types: ['*'] }, { platformWide: true, url: 'https://93.184.215.14/mole', types: ['*'] }],
  'webhooks.list': (f) => [{ team: f.teamA }],
  'webhooks.delete': (f) => [{ id: f.webhookA }],
  'webhooks.deliveries': (f) => [{ id: f.webhookA }],
  'webhooks.redeliver': (f) => [{ id: f.deliveryA }],
};

/**
 * Procedures that are legitimately not team-scoped: they succeed for team B, so instead each
 * checks that the answer holds nothing of team A.
 */
const NOT_TEAM_SCOPED: Record<string, { reason: string; input: unknown; noLeak: (result: unknown, f: Fixture) => void }> = {
  whoami: {
    reason: "describes the caller's own token only",
    input: undefined,
    noLeak: (r) => expect(r).toMatchObject({ team: 'beta' }),
  },
  'teams.list': {
    reason: "a non-admin sees only the own team; takes no team input",
    input: undefined,
    noLeak: (r) => expect((r as { items: { name: string }[] }).items.map((t) => t.name)).toEqual(['beta']),
  },
  'targets.list': {
    reason: 'targets are platform-wide, filtered to those open to the caller',
    input: undefined,
    noLeak: (r, f) => {
      const names = (r as { items: { name: string; allowedTeams?: unknown }[] }).items.map((t) => t.name);
      expect(names).toContain('sim-local');
      expect(names).not.toContain(f.targetA);
      expect(JSON.stringify(r)).not.toContain('allowedTeams');
    },
  },
  'templates.list': {
    reason: 'templates are global, published by platform admins',
    input: { all: true },
    noLeak: (r) => expect((r as { items: { name: string }[] }).items.map((t) => t.name)).toContain('sim-dev'),
  },
  'templates.get': {
    reason: 'templates are global, published by platform admins',
    input: { name: 'sim-dev' },
    noLeak: (r) => expect(r).toMatchObject({ name: 'sim-dev' }),
  },
};

/** Admin-only procedures with inputs that are otherwise valid for a member of team A. */
const ADMIN_ONLY: Record<string, { needs: 'team-admin' | 'platform-admin'; input: (f: Fixture) => unknown }> = {
  'teams.create': { needs: 'platform-admin', input: () => ({ name: 'alpha-annex' }) },
  'teams.setQuota': { needs: 'platform-admin', input: (f) => ({ name: f.teamA, quota: { maxClusters: 99 } }) },
  'targets.create': { needs: 'platform-admin', input: () => ({ name: 'sim-annex', cloud: 'sim', region: 'lab', account: 'annex' }) },
  'targets.update': { needs: 'platform-admin', input: (f) => ({ name: f.targetA, allowedTeams: null }) },
  'targets.check': { needs: 'platform-admin', input: (f) => ({ name: f.targetA }) },
  'templates.publish': { needs: 'platform-admin', input: () => ({ yaml: simDevYaml.replace(/^name: sim-dev$/m, 'name: annex-dev') }) },
  'templates.deprecate': { needs: 'platform-admin', input: () => ({ name: 'sim-dev', message: 'use annex-dev' }) },
  'audit.list': { needs: 'platform-admin', input: (f) => ({ team: f.teamA }) },
  'templates.rolloutPreview': { needs: 'platform-admin', input: () => ({ name: 'sim-dev', toVersion: 1 }) },
  'fleet.plan': { needs: 'platform-admin', input: () => ({ targetVersion: '1.34', waves: { canary: 0, percentages: [100] } }) },
  'fleet.start': { needs: 'platform-admin', input: () => ({ name: 'annex-campaign', targetVersion: '1.34', waves: { canary: 0, percentages: [100] } }) },
  'fleet.status': { needs: 'platform-admin', input: () => ({ id: 'some-campaign' }) },
  'fleet.list': { needs: 'platform-admin', input: () => ({}) },
  'fleet.campaignProgress': { needs: 'platform-admin', input: () => ({ campaignId: 'some-campaign' }) },
  'fleet.pause': { needs: 'platform-admin', input: () => ({ id: 'some-campaign' }) },
  'fleet.resume': { needs: 'platform-admin', input: () => ({ id: 'some-campaign' }) },
  'fleet.cancel': { needs: 'platform-admin', input: () => ({ id: 'some-campaign' }) },
  'fleet.approve': { needs: 'platform-admin', input: () => ({ id: 'some-campaign' }) },
  'fleet.setMaintenanceWindow': { needs: 'platform-admin', input: (f) => ({ team: f.teamA, name: f.clusterA, window: null }) },
  'fleet.channels': { needs: 'platform-admin', input: () => undefined },
  'fleet.setChannel': { needs: 'platform-admin', input: (f) => ({ scope: 'team', name: f.teamA, channel: 'pinned' }) },
  'fleet.clearChannel': { needs: 'platform-admin', input: (f) => ({ scope: 'team', name: f.teamA }) },
  'fleet.exclusions': { needs: 'platform-admin', input: () => undefined },
  'fleet.addExclusion': { needs: 'platform-admin', input: (f) => ({ scope: 'team', name: f.teamA, kind: 'no_upgrades', startsAt: '2027-01-01T00:00:00Z', endsAt: '2027-01-02T00:00:00Z' }) },
  'fleet.removeExclusion': { needs: 'platform-admin', input: () => ({ id: 'some-exclusion' }) },
  'fleet.proposals': { needs: 'platform-admin', input: () => ({}) },
  'fleet.startProposal': { needs: 'platform-admin', input: () => ({ id: 'some-proposal' }) },
  'fleet.dismissProposal': { needs: 'platform-admin', input: () => ({ id: 'some-proposal' }) },
  'fleet.retry': { needs: 'platform-admin', input: () => ({ id: 'some-campaign' }) },
  'admin.locks.list': { needs: 'platform-admin', input: () => ({}) },
  'admin.locks.clear': { needs: 'platform-admin', input: (f) => ({ cluster: f.clusterA, team: f.teamA, reason: 'stuck since the outage', force: true }) },
  'sso.rules.list': { needs: 'platform-admin', input: () => undefined },
  'sso.rules.add': { needs: 'platform-admin', input: (f) => ({ group: 'payments-devs', role: 'member', team: f.teamA }) },
  'sso.rules.remove': { needs: 'platform-admin', input: () => ({ id: 'r000000000000' }) },
  'tokens.create': { needs: 'team-admin', input: () => ({ subject: 'annex' }) },
  'tokens.list': { needs: 'team-admin', input: () => ({}) },
  'tokens.revoke': { needs: 'team-admin', input: (f) => ({ id: f.tokenIdA }) },
  'webhooks.create': { needs: 'team-admin', input: () => ({ url: 'https://93.184.215.14/annex', types: ['*'] }) },
  'webhooks.list': { needs: 'team-admin', input: () => ({}) },
  'webhooks.delete': { needs: 'team-admin', input: (f) => ({ id: f.webhookA }) },
  'webhooks.deliveries': { needs: 'team-admin', input: (f) => ({ id: f.webhookA }) },
  'webhooks.redeliver': { needs: 'team-admin', input: (f) => ({ id: f.deliveryA }) },
};

const REFUSED = ['NOT_FOUND', 'FORBIDDEN', 'UNAUTHORIZED'];

/** One input per procedure for the calls where only authentication matters. */
function someInput(path: string, f: Fixture): unknown {
  return ATTACKS[path] ? ATTACKS[path](f)[0] : NOT_TEAM_SCOPED[path]?.input;
}

/** Calls `path` on a createCaller caller by its dotted path. */
function invoke(caller: unknown, path: string, input: unknown): Promise<unknown> {
  const fn = path.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], caller) as (i: unknown) => Promise<unknown>;
  return fn(input);
}

/** The error a call ends in, or a failure naming what it returned instead. */
async function refusal(call: Promise<unknown>, what: string): Promise<TRPCError> {
  const outcome = await call.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
  if (!('error' in outcome)) expect.fail(`${what} succeeded: ${JSON.stringify(outcome.value).slice(0, 300)}`);
  expect(outcome.error, what).toBeInstanceOf(TRPCError);
  return outcome.error as TRPCError;
}

describe('tenant isolation', () => {
  let p: TestPlatform;
  let f: Fixture;
  let admin: TokenActor;
  let memberA: TokenActor;
  let leadA: TokenActor;
  let memberB: TokenActor;
  let leadB: TokenActor;

  beforeAll(async () => {
    p = await testPlatform();
    admin = await p.actor('root', 'platform-admin', null);
    const alpha = await p.team('alpha');
    const beta = await p.team('beta');
    memberA = await p.actor('anna', 'member', alpha);
    leadA = await p.actor('arthur', 'team-admin', alpha);
    memberB = await p.actor('bert', 'member', beta);
    leadB = await p.actor('berta', 'team-admin', beta);
    await p.caller(admin).targets.create({ name: TARGET_A, cloud: 'sim', region: 'alpha-lab', account: 'alpha-acct-7', allowedTeams: ['alpha'] });
    // a subscription of team A with a delivery of its cluster's queued event
    const created = await p.caller(leadA).webhooks.create({ url: 'https://93.184.215.14/alpha-hook-path', types: ['dev.kaas.operation.queued'] });
    // the id CI once drew: it holds the user name "anna", and refusals echo the id the caller sent
    const hook = { ...created, id: 'w8eannae9fcgb' };
    await p.services.db.updateTable('webhook_subscriptions').set({ id: hook.id }).where('id', '=', created.id).execute();
    // only queued: no worker runs in this file
    const { cluster, operation } = await p.caller(memberA).clusters.create({ name: CLUSTER_A, template: 'sim-dev', target: TARGET_A, labels: { owner: 'alpha-owner-label' } });
    const row = await p.services.db.selectFrom('clusters').select(['id', 'stack_name', 'team_id']).where('id', '=', cluster.id).executeTakeFirstOrThrow();
    await dispatchEvents(p.services.db, p.services.queue.boss, new Date(Date.now() + 60_000));
    const delivery = await p.services.db.selectFrom('webhook_deliveries').select('id').where('subscription_id', '=', hook.id).executeTakeFirstOrThrow();
    f = {
      teamA: 'alpha',
      clusterA: CLUSTER_A,
      targetA: TARGET_A,
      operationA: operation.id,
      tokenIdA: memberA.tokenId,
      approvalA: (
        await p.services.db
          .insertInto('approval_requests')
          .values({ id: 'a0000000alpha', action: 'delete', cluster_id: cluster.id, team_id: row.team_id, requester: 'anna', plan_hash: 'h', plan: JSON.stringify({ clusterId: cluster.id }), rule: JSON.stringify({ approvers: 1, roles: ['team-admin'], groups: [] }), expires_at: new Date(Date.now() + 86_400_000) })
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id,
      webhookA: hook.id,
      deliveryA: delivery.id,
      secrets: [hook.secret, 'alpha-hook-path', row.id, row.stack_name, 'alpha-acct-7', 'alpha-lab', 'alpha-owner-label', 'anna', 'arthur'],
    };
  });
  afterAll(() => p.close());

  /** Every table but audit, in a stable order, to prove the attacks changed nothing. */
  async function snapshot(): Promise<string> {
    const db = p.services.db;
    const tables = ['teams', 'tokens', 'targets', 'templates', 'clusters', 'operations', 'operation_events', 'approval_requests', 'webhook_subscriptions', 'webhook_deliveries'] as const;
    const out: Record<string, unknown> = {};
    // a token's last_used_at moves whenever it authenticates: that is use, not a change of state
    const stable = (row: Record<string, unknown>) => JSON.stringify({ ...row, last_used_at: undefined });
    for (const table of tables) out[table] = await db.selectFrom(table).selectAll().execute().then((rows) => rows.map((r) => stable(r)).sort());
    return JSON.stringify(out);
  }

  it('covers every procedure of the router: each is attacked, or allow-listed with a reason', () => {
    const attacked = Object.keys(ATTACKS);
    const allowed = Object.keys(NOT_TEAM_SCOPED);
    expect(attacked.filter((k) => allowed.includes(k)), 'in both tables').toEqual([]);
    expect([...attacked, ...allowed].sort(), 'ATTACKS + NOT_TEAM_SCOPED must name exactly the procedures of appRouter').toEqual(PATHS);
    expect(allowed.length, 'the allow-list is meant to stay small').toBeLessThanOrEqual(5);
    for (const [path, entry] of Object.entries(NOT_TEAM_SCOPED)) expect(entry.reason.length, `${path} needs a reason`).toBeGreaterThan(10);
  });

  it('the fixture is real: team A itself can read what the attacks aim at', async () => {
    await expect(p.caller(memberA).clusters.get({ name: CLUSTER_A })).resolves.toMatchObject({ cluster: { name: CLUSTER_A, team: 'alpha', target: TARGET_A } });
    await expect(p.caller(memberA).targets.get({ name: TARGET_A })).resolves.toMatchObject({ name: TARGET_A });
    await expect(p.caller(memberA).versions.list({ target: TARGET_A })).resolves.toMatchObject({ clouds: [{ cloud: 'sim', target: TARGET_A }] });
    await expect(p.caller(leadA).approvals.get({ id: f.approvalA })).resolves.toMatchObject({ approval: { id: f.approvalA, team: 'alpha' } });
    await expect(p.caller(leadA).tokens.list()).resolves.toMatchObject({ items: expect.arrayContaining([expect.objectContaining({ id: f.tokenIdA })]) });
  });

  describe.each([
    ['member', () => memberB],
    ['team-admin', () => leadB],
  ] as const)('a %s of team B', (_role, who) => {
    it.each(PATHS)("%s refuses team A's resources and leaks none of them", async (path) => {
      const before = await snapshot();
      const allowed = NOT_TEAM_SCOPED[path];
      if (allowed) {
        const result = await invoke(p.caller(who()), path, allowed.input);
        allowed.noLeak(result, f);
        for (const secret of f.secrets) expect(JSON.stringify(result), `${path} leaks ${secret}`).not.toContain(secret);
        return;
      }
      const attack = ATTACKS[path];
      expect(attack, `procedure ${path} has no entry in ATTACKS (nor in NOT_TEAM_SCOPED)`).toBeDefined();
      const inputs = attack!(f);
      expect(inputs.length).toBeGreaterThan(0);
      for (const input of inputs) {
        const err = await refusal(invoke(p.caller(who()), path, input), `${path}(${JSON.stringify(input)}) as ${who().subject}`);
        expect(REFUSED, `${path}(${JSON.stringify(input)}) ended in ${err.code}: ${err.message}`).toContain(err.code);
        // What the caller sent may come back (e.g. "webhook subscription <id> does not exist"): only
        // the rest of the message may not hold a secret. Random ids can contain a short secret such
        // as a user name; CI once met a webhook id "w8eannae9fcgb" echoed in its own refusal.
        const told = withoutEchoedInput(err.message, input);
        for (const secret of f.secrets) expect(told, `${path} error leaks ${secret}`).not.toContain(secret);
      }
      expect(await snapshot(), `${path} changed stored state`).toBe(before);
      if (PROCEDURES[path]!._def.type === 'mutation') {
        const audit = await p.services.db.selectFrom('audit').select('result').where('action', '=', path).where('actor', '=', who().subject).execute();
        expect(audit.length, `one audit row per refused ${path}`).toBe(inputs.length);
        expect(new Set(audit.map((a) => a.result))).toEqual(new Set(['denied']));
      }
    });
  });

  it('refuses every procedure to an anonymous caller with UNAUTHORIZED (none is public)', async () => {
    for (const path of PATHS) {
      expect(PROCEDURES[path]!._def.middlewares.map((m) => m.name), `${path} is not behind requireActor`).toContain('requireActor');
      const err = await refusal(invoke(p.caller(), path, someInput(path, f)), `anonymous ${path}`);
      expect(err.code, `anonymous ${path}`).toBe('UNAUTHORIZED');
    }
  });

  it('refuses admin-only procedures to a member of team A, and platform-admin ones to its team admin', async () => {
    const guarded = PATHS.filter((path) => PROCEDURES[path]!._def.middlewares.some((m) => m.name === 'requirePlatformAdmin'));
    for (const path of guarded) expect(ADMIN_ONLY[path]?.needs, `${path} is platform-admin only but not in ADMIN_ONLY`).toBe('platform-admin');
    const before = await snapshot();
    for (const [path, { needs, input }] of Object.entries(ADMIN_ONLY)) {
      expect(PATHS).toContain(path);
      const callers = needs === 'platform-admin' ? [memberA, leadA] : [memberA];
      for (const actor of callers) {
        const err = await refusal(invoke(p.caller(actor), path, input(f)), `${actor.role} ${path}`);
        expect(err.code, `${actor.role} ${path}: ${err.message}`).toBe('FORBIDDEN');
        expect(err.message).toMatch(new RegExp(needs));
      }
    }
    expect(await snapshot()).toBe(before);
    // a platform admin may call them: the refusals above are about the role, not the input
    await expect(p.caller(admin).teams.setQuota(ADMIN_ONLY['teams.setQuota']!.input(f) as never)).resolves.toMatchObject({ name: 'alpha' });
    await expect(p.caller(leadA).tokens.list()).resolves.toBeDefined();
  });

  describe('over HTTP', () => {
    let server: http.Server;
    let base: string;
    beforeAll(async () => {
      server = createServer(p.services, createMetrics(p.services.db));
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/trpc`;
    });
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

    /** Calls `path` the way the tRPC client does: GET for queries, POST for mutations. */
    async function httpCall(path: string, token: string | undefined, input: unknown): Promise<{ status: number; body: { error?: { data: { code: string; kaas: { code: string } } } } }> {
      const headers: Record<string, string> = { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) };
      if (PROCEDURES[path]!._def.type === 'subscription') {
        // a subscription answers as an SSE stream; a refusal is its one `serialized-error` event (then it ends), carrying the HTTP status
        const res = await fetch(`${base}/${path}?input=${encodeURIComponent(JSON.stringify(input))}`, { headers: { ...headers, accept: 'text/event-stream' } });
        const text = await res.text();
        const data = /event: serialized-error\ndata: (.*)\n/.exec(text)?.[1];
        if (!data) return { status: res.status, body: JSON.parse(text) as never };
        const error = JSON.parse(data) as { data: { httpStatus: number } };
        return { status: error.data.httpStatus, body: { error } as never };
      }
      const res =
        PROCEDURES[path]!._def.type === 'mutation'
          ? await fetch(`${base}/${path}`, { method: 'POST', headers, body: JSON.stringify(input ?? null) })
          : await fetch(`${base}/${path}${input === undefined ? '' : `?input=${encodeURIComponent(JSON.stringify(input))}`}`, { headers });
      return { status: res.status, body: (await res.json()) as never };
    }

    async function expectUnauthorizedEverywhere(token: string | undefined, what: string) {
      const before = await snapshot();
      for (const path of PATHS) {
        const { status, body } = await httpCall(path, token, someInput(path, f));
        expect({ path, status, code: body.error?.data.code, kaas: body.error?.data.kaas.code }, what).toEqual({ path, status: 401, code: 'UNAUTHORIZED', kaas: 'UNAUTHENTICATED' });
      }
      expect(await snapshot()).toBe(before);
    }

    it('a working token gets through (control)', async () => {
      expect((await httpCall('whoami', memberA.token, undefined)).status).toBe(200);
    });

    it('refuses every procedure without a token, and with a made-up one', async () => {
      await expectUnauthorizedEverywhere(undefined, 'no token');
      await expectUnauthorizedEverywhere('kaas_' + 'x'.repeat(40), 'unknown token');
    });

    it('refuses every procedure to a revoked token', async () => {
      const victim = await p.actor('revoked-lead', 'team-admin', memberA.teamId);
      expect((await httpCall('whoami', victim.token, undefined)).status).toBe(200);
      await p.caller(admin).tokens.revoke({ id: victim.tokenId });
      await expectUnauthorizedEverywhere(victim.token, 'revoked token');
    });

    it('refuses every procedure to an expired token', async () => {
      const victim = await p.actor('expired-root', 'platform-admin', null);
      await p.services.db.updateTable('tokens').set({ expires_at: new Date(Date.now() - 1000) }).where('id', '=', victim.tokenId).execute();
      await expectUnauthorizedEverywhere(victim.token, 'expired token');
    });
  });
});

/** The message with every string the caller itself sent removed (longest first). */
function withoutEchoedInput(message: string, input: unknown): string {
  const sent: string[] = [];
  const walk = (v: unknown): void => {
    if (typeof v === 'string' && v.length > 0) sent.push(v);
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') Object.values(v).forEach(walk);
  };
  walk(input);
  return sent.sort((a, b) => b.length - a.length).reduce((m, s) => m.split(s).join('<sent>'), message);
}
