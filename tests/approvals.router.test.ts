/**
 * Approvals through the API (issue 13): a destructive reconcile, a protected cluster's delete and
 * a forced upgrade wait for an approval request that only someone other than the requester — by
 * subject, whichever token — with an allowed role can approve; enough approvers start the action;
 * a changed plan supersedes the request; an expired one is refused and marked expired; a rejection
 * ends what waited with the reason; every step is an event and an audit row.
 * Real PostgreSQL, the real `runOperation`, a fake engine whose preview we script.
 */
import fs from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Actor } from '../api/auth/tokens.ts';
import { runOperation } from '../api/worker/run-operation.ts';
import { FakeEngine } from './support/fake-engine.ts';
import { expectTrpcError } from './support/errors.ts';
import { testPlatform, type TestPlatform } from './support/services.ts';

describe('approvals', () => {
  let p: TestPlatform;
  let alice: Actor;
  let aliceAgain: Actor;
  let bob: Actor;
  let carol: Actor;
  let dave: Actor;
  let root: Actor;
  let eve: Actor;
  const engine = new FakeEngine();
  /** What the next previews report: a replace of the general pool by default. */
  let previewSteps: { kind: string; op: string; resource: string }[] = [];
  const run = (id: string) => runOperation(p.services, id, { retries: 0, backoffMs: 1 }, new AbortController().signal, engine as never);
  const op = (id: string) => p.services.db.selectFrom('operations').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const request = (id: string) => p.services.db.selectFrom('approval_requests').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const cluster = (name: string) => p.services.db.selectFrom('clusters').selectAll().where('name', '=', name).orderBy('created_at', 'desc').executeTakeFirstOrThrow();
  const events = (id: string) => p.services.db.selectFrom('platform_events').select(['type', 'data']).where('subject', '=', `approvals/${id}`).orderBy('seq').execute();
  const audits = (action: string) => p.services.db.selectFrom('audit').selectAll().where('action', '=', action).orderBy('id').execute();
  const REPLACE_POOL = [{ kind: 'step-started', op: 'replace', resource: 'pool-general' }, { kind: 'step-started', op: 'create-replacement', resource: 'pool-general' }];

  async function readyCluster(name: string, labels: Record<string, string> = {}, set: string[] = []) {
    const { operation } = await p.caller(alice).clusters.create({ name, template: 'sim-dev', labels, set });
    expect(await run(operation.id)).toBe('done');
    expect((await cluster(name)).status).toBe('ready');
  }

  /** A reconcile of `name` that stopped for approval; returns the request id. */
  async function stoppedReconcile(name: string): Promise<string> {
    const { operation } = await p.caller(alice).clusters.reconcile({ name });
    await run(operation.id);
    const stopped = await op(operation.id);
    expect(stopped).toMatchObject({ status: 'needs_approval', result: { applied: false, destructive: ['replace pool-general'] } });
    return (stopped.result as { approval: string }).approval;
  }

  beforeAll(async () => {
    p = await testPlatform();
    const payments = await p.team('payments');
    const other = await p.team('other');
    alice = await p.actor('alice', 'member', payments);
    aliceAgain = await p.actor('alice', 'team-admin', payments); // the same person, another token
    bob = await p.actor('bob', 'member', payments);
    carol = await p.actor('carol', 'team-admin', payments);
    dave = await p.actor('dave', 'team-admin', payments);
    eve = await p.actor('eve', 'team-admin', other);
    root = await p.actor('root', 'platform-admin', null);
    engine.preview = async () => ({ changes: { replace: 1 }, steps: previewSteps }) as never;
    await readyCluster('web');
  });
  beforeEach(() => {
    previewSteps = REPLACE_POOL;
  });
  afterAll(async () => {
    await p.close();
  });

  it('a destructive reconcile waits; the requester (any token), a member and another team cannot approve; a team admin can, and it runs', async () => {
    const id = await stoppedReconcile('web');
    const upsBefore = engine.calls.filter((c) => c.method === 'up').length;
    await expectTrpcError(p.caller(alice).approvals.approve({ id }), 'FORBIDDEN', /alice requested this and cannot approve their own request/);
    await expectTrpcError(p.caller(aliceAgain).approvals.approve({ id }), 'FORBIDDEN', /alice requested this/);
    await expectTrpcError(p.caller(bob).approvals.approve({ id }), 'FORBIDDEN', /bob \(member\) may not approve this: it needs role team-admin or role platform-admin/);
    await expectTrpcError(p.caller(eve).approvals.approve({ id }), 'NOT_FOUND', /does not exist/);
    expect(await request(id)).toMatchObject({ status: 'pending', approvals: [] });
    expect(engine.calls.filter((c) => c.method === 'up').length).toBe(upsBefore);

    const { approval } = await p.caller(carol).approvals.approve({ id, reason: 'the pool must be sim.small again' });
    expect(approval).toMatchObject({ status: 'approved', requester: 'alice', approvals: [expect.objectContaining({ subject: 'carol', role: 'team-admin' })], startedOperationId: expect.stringMatching(/^o/) });
    expect(await run(approval.startedOperationId!)).toBe('done');
    expect(await op(approval.startedOperationId!)).toMatchObject({ status: 'succeeded', actor: 'carol', result: { applied: true } });
    expect(engine.calls.filter((c) => c.method === 'up').length).toBe(upsBefore + 1);
    await expectTrpcError(p.caller(dave).approvals.approve({ id }), 'PRECONDITION_FAILED', /is approved \(the pool must be sim.small again\); only a pending one can be decided/);

    expect((await events(id)).map((e) => e.type)).toEqual(['dev.kaas.approval.requested', 'dev.kaas.approval.approved']);
    expect((await audits('approvals.request')).at(-1)).toMatchObject({ actor: 'alice', target: 'web', result: 'ok' });
    const decided = (await audits('approvals.approve')).filter((a) => a.target === id);
    // one row per decision (the mutation's own), with what was decided
    expect(decided.map((a) => `${a.actor}:${a.result}`)).toEqual(['alice:denied', 'alice:denied', 'bob:denied', 'eve:denied', 'carol:ok', 'dave:failed']);
    expect(decided.find((a) => a.actor === 'carol')).toMatchObject({ team_id: expect.stringMatching(/^t/), detail: { approval: id, action: 'reconcile', satisfied: true, approvals: 1, required: 1, reason: 'the pool must be sim.small again' } });
  });

  it('needs two approvers when the target says so, each counted once', async () => {
    await expectTrpcError(p.caller(carol).targets.update({ name: 'sim-local', approvalPolicy: { reconcile: { approvers: 1, roles: ['member'], groups: [] } } }), 'FORBIDDEN');
    await expectTrpcError(p.caller(root).targets.update({ name: 'sim-local', approvalPolicy: { reconcile: { approvers: 1, roles: [], groups: [] } } }), 'BAD_REQUEST', /at least one role or group/);
    await expectTrpcError(p.caller(root).targets.update({ name: 'sim-local', approvalPolicy: { rebuild: { approvers: 1, roles: ['member'], groups: [] } } as never }), 'BAD_REQUEST', /rebuild/);
    await p.caller(root).targets.update({ name: 'sim-local', approvalPolicy: { reconcile: { approvers: 2, roles: ['team-admin', 'platform-admin'], groups: [] } } });
    try {
      const id = await stoppedReconcile('web');
      expect((await p.caller(carol).approvals.approve({ id })).approval).toMatchObject({ status: 'pending', approvals: [expect.objectContaining({ subject: 'carol' })], startedOperationId: null });
      await expectTrpcError(p.caller(carol).approvals.approve({ id }), 'FORBIDDEN', /carol already approved this request/);
      const { approval } = await p.caller(root).approvals.approve({ id });
      expect(approval).toMatchObject({ status: 'approved', approvals: [expect.objectContaining({ subject: 'carol' }), expect.objectContaining({ subject: 'root' })] });
      await run(approval.startedOperationId!);
      expect(await op(approval.startedOperationId!)).toMatchObject({ status: 'succeeded' });
    } finally {
      await p.caller(root).targets.update({ name: 'sim-local', approvalPolicy: null });
    }
    expect((await p.services.db.selectFrom('targets').select('approval_policy').where('name', '=', 'sim-local').executeTakeFirstOrThrow()).approval_policy).toBeNull();
  });

  it('a target whose policy leaves reconcile out applies destructive changes without a request', async () => {
    await p.caller(root).targets.update({ name: 'sim-local', approvalPolicy: { delete: { approvers: 1, roles: ['team-admin'], groups: [] } } });
    try {
      const { operation } = await p.caller(alice).clusters.reconcile({ name: 'web' });
      await run(operation.id);
      expect(await op(operation.id)).toMatchObject({ status: 'succeeded', result: { applied: true } });
    } finally {
      await p.caller(root).targets.update({ name: 'sim-local', approvalPolicy: null });
    }
  });

  it('an approval of one plan does not apply another: the run stops, supersedes it and asks again', async () => {
    const id = await stoppedReconcile('web');
    const { approval } = await p.caller(carol).approvals.approve({ id });
    previewSteps = [{ kind: 'step-started', op: 'delete', resource: 'pool-batch' }];
    const ups = engine.calls.filter((c) => c.method === 'up').length;
    await run(approval.startedOperationId!);
    const again = await op(approval.startedOperationId!);
    expect(again).toMatchObject({ status: 'needs_approval', result: { destructive: ['delete pool-batch'] } });
    expect(engine.calls.filter((c) => c.method === 'up').length).toBe(ups);
    expect(await request(id)).toMatchObject({ status: 'superseded' });
    const next = await request((again.result as { approval: string }).approval);
    expect(next).toMatchObject({ status: 'pending', requester: 'alice', plan: { destructive: ['delete pool-batch'] } });
    expect(next.plan_hash).not.toBe((await request(id)).plan_hash);
  });

  it('an expired request is refused and marked expired', async () => {
    const id = await stoppedReconcile('web');
    await p.services.db.updateTable('approval_requests').set({ expires_at: new Date(Date.now() - 1000) }).where('id', '=', id).execute();
    await expectTrpcError(p.caller(carol).approvals.approve({ id }), 'PRECONDITION_FAILED', /expired at/);
    expect(await request(id)).toMatchObject({ status: 'expired', approvals: [] });
    expect((await events(id)).map((e) => e.type)).toEqual(['dev.kaas.approval.requested', 'dev.kaas.approval.expired']);
    await expectTrpcError(p.caller(carol).approvals.approve({ id }), 'PRECONDITION_FAILED', /is expired/);
    // read before anyone decides it: listing marks it expired, with its event
    const unread = await stoppedReconcile('web');
    await p.services.db.updateTable('approval_requests').set({ expires_at: new Date(Date.now() - 1000) }).where('id', '=', unread).execute();
    expect((await p.caller(carol).approvals.list({ status: 'pending', limit: 50 })).items.map((a) => a.id)).not.toContain(unread);
    expect((await p.caller(carol).approvals.get({ id: unread })).approval).toMatchObject({ status: 'expired' });
    expect((await events(unread)).map((e) => e.type)).toEqual(['dev.kaas.approval.requested', 'dev.kaas.approval.expired']);
  });

  it('a rejected request ends the stopped operation with the reason; the reason is required', async () => {
    const id = await stoppedReconcile('web');
    const stoppedOp = (await request(id)).operation_id!;
    await expectTrpcError(p.caller(carol).approvals.reject({ id } as never), 'BAD_REQUEST', /reason/);
    await expectTrpcError(p.caller(bob).approvals.reject({ id, reason: 'no' }), 'FORBIDDEN', /may not approve/);
    const { approval } = await p.caller(carol).approvals.reject({ id, reason: 'replace it in the next window' });
    expect(approval).toMatchObject({ status: 'rejected', reason: 'replace it in the next window', decidedBy: 'carol' });
    expect(await op(stoppedOp)).toMatchObject({ status: 'cancelled', error: 'rejected by carol: replace it in the next window' });
    expect((await cluster('web')).status).toBe('ready');
    expect((await events(id)).at(-1)).toMatchObject({ type: 'dev.kaas.approval.rejected', data: { by: 'carol', reason: 'replace it in the next window' } });
    // the operation's own transition is an event too, like every other one
    const cancelled = await p.services.db.selectFrom('platform_events').select(['type', 'data']).where('type', '=', 'dev.kaas.operation.cancelled').execute();
    expect(cancelled.map((e) => e.data)).toContainEqual(expect.objectContaining({ operation: expect.objectContaining({ id: stoppedOp, kind: 'reconcile', status: 'cancelled', error: 'rejected by carol: replace it in the next window' }) }));
    expect((await audits('approvals.reject')).at(-1)).toMatchObject({ actor: 'carol', target: id, result: 'ok' });
  });

  it('a production cluster is deleted only after someone else approves; an unprotected one at once', async () => {
    await readyCluster('prod', { environment: 'production' });
    const asked = await p.caller(alice).clusters.delete({ name: 'prod', confirm: 'prod' });
    expect(asked).toMatchObject({ operation: null, approval: { action: 'delete', target: 'cluster prod', status: 'pending', rule: { approvers: 1 } } });
    expect((await cluster('prod')).status).toBe('ready');
    expect(await p.services.db.selectFrom('operations').select('id').where('cluster_id', '=', (await cluster('prod')).id).where('kind', '=', 'delete').execute()).toEqual([]);
    const listed = await p.caller(carol).approvals.list();
    expect(listed.items.map((a) => a.id)).toContain(asked.approval!.id);
    expect((await p.caller(eve).approvals.list()).items.map((a) => a.id)).not.toContain(asked.approval!.id);

    const { approval } = await p.caller(carol).approvals.approve({ id: asked.approval!.id });
    expect(await run(approval.startedOperationId!)).toBe('done');
    expect(await op(approval.startedOperationId!)).toMatchObject({ kind: 'delete', status: 'succeeded' });
    expect((await cluster('prod')).status).toBe('deleted');

    await readyCluster('scratch');
    expect((await p.caller(alice).clusters.delete({ name: 'scratch', confirm: 'scratch' })).operation).toMatchObject({ kind: 'delete' });
  });

  it("a rule that names only a group is met by a person in that group (an SSO actor's groups), never by a role alone", async () => {
    await p.caller(root).targets.update({ name: 'sim-local', approvalPolicy: { delete: { approvers: 1, roles: [], groups: ['sre'] } } });
    try {
      await readyCluster('grouped', { environment: 'production' });
      const asked = await p.caller(alice).clusters.delete({ name: 'grouped', confirm: 'grouped' });
      const id = asked.approval!.id;
      // carol is a team admin of the team, but holds no group: the rule names only `sre`
      await expectTrpcError(p.caller(carol).approvals.approve({ id }), 'FORBIDDEN');
      // the shape api/auth/sso-actor.ts gives an SSO bearer: the token's groups on the actor
      await expectTrpcError(p.caller({ ...dave, groups: ['eng'] }).approvals.approve({ id }), 'FORBIDDEN');
      const { approval } = await p.caller({ ...dave, groups: ['eng', 'sre'] }).approvals.approve({ id });
      expect(approval.status).toBe('approved');
      expect(await run(approval.startedOperationId!)).toBe('done');
    } finally {
      await p.caller(root).targets.update({ name: 'sim-local', approvalPolicy: null });
    }
  });

  it('a protected cluster changed after the delete was requested: the approval is refused and the request superseded', async () => {
    await readyCluster('vault', { protected: 'true' });
    const asked = await p.caller(alice).clusters.delete({ name: 'vault', confirm: 'vault' });
    const { operation } = await p.caller(alice).clusters.update({ name: 'vault', set: ['nodePools.general.desiredSize=3'] });
    await run(operation.id);
    await expectTrpcError(p.caller(carol).approvals.approve({ id: asked.approval!.id }), 'CONFLICT', /plan that changed since it was requested/);
    expect(await request(asked.approval!.id)).toMatchObject({ status: 'superseded' });
    expect((await cluster('vault')).status).toBe('ready');
  });

  it('a forced upgrade waits for approval and carries the approver', async () => {
    await readyCluster('legacy', {}, ['kubernetesVersion=1.32']);
    const row = await cluster('legacy');
    // the upgrade preflight blocked (as upgrade.gates.test.ts shows on the sim cloud): recorded as the worker does
    const { operation } = await p.caller(alice).clusters.upgrade({ name: 'legacy', to: '1.33' });
    await p.services.db.updateTable('operations').set({ status: 'needs_approval', finished_at: new Date(), result: JSON.stringify({ blocked: { beforeStep: 0, nextMinor: '1.33', blockers: [{ check: 'deprecated-api', message: 'flowschemas v1beta3 still requested' }] } }) }).where('id', '=', operation!.id).execute();
    const asked = await p.caller(alice).clusters.upgrade({ name: 'legacy', force: true });
    expect(asked).toMatchObject({ operation: null, approval: { action: 'forced-upgrade', status: 'pending', plan: { toVersion: '1.33', reasons: ['flowschemas v1beta3 still requested'], from: row.kubernetes_version } } });
    await expectTrpcError(p.caller(aliceAgain).approvals.approve({ id: asked.approval!.id }), 'FORBIDDEN', /cannot approve their own request/);
    const { approval } = await p.caller(carol).approvals.approve({ id: asked.approval!.id });
    expect(await op(approval.startedOperationId!)).toMatchObject({ kind: 'upgrade', input: { toVersion: '1.33', force: { approvedOperation: operation!.id, approvedBy: 'carol', reasons: ['flowschemas v1beta3 still requested'] } } });
  });

  it("a template's approvals section replaces the target's rule for the actions it names", async () => {
    const yaml = fs.readFileSync(new URL('../templates/sim-dev.yaml', import.meta.url), 'utf8').replace(/^name: sim-dev$/m, 'name: sim-strict');
    await expectTrpcError(p.caller(root).templates.publish({ yaml: `${yaml}\napprovals:\n  rebuild:\n    approvers: 1\n    roles: [member]\n` }), 'BAD_REQUEST', /rebuild/);
    await p.caller(root).templates.publish({ yaml: `${yaml}\napprovals:\n  reconcile:\n    approvers: 1\n    roles: [platform-admin]\n` });
    const { operation } = await p.caller(alice).clusters.create({ name: 'strict', template: 'sim-strict' });
    await run(operation.id);
    const id = await stoppedReconcile('strict');
    expect(await request(id)).toMatchObject({ rule: { approvers: 1, roles: ['platform-admin'] } });
    await expectTrpcError(p.caller(carol).approvals.approve({ id }), 'FORBIDDEN', /carol \(team-admin\) may not approve this: it needs role platform-admin/);
    expect((await p.caller(root).approvals.approve({ id })).approval).toMatchObject({ status: 'approved' });
    // the actions it leaves out keep the target's rule: a production delete still needs a team admin
    const { operation: prod } = await p.caller(alice).clusters.create({ name: 'strict-prod', template: 'sim-strict', labels: { environment: 'production' } });
    await run(prod.id);
    expect((await p.caller(alice).clusters.delete({ name: 'strict-prod', confirm: 'strict-prod' })).approval).toMatchObject({ rule: { roles: ['team-admin', 'platform-admin'] } });
  });
});
