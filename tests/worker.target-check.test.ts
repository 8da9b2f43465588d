/**
 * The worker runs the target check before every create: a target failing it fails the create at
 * once, with each failure and its fix, before any engine call (instead of an engine error minutes
 * into the run); a sim target passes trivially. Real PostgreSQL and `runOperation`; a fake engine
 * records its calls; the check is the real `checkTarget` with an injected environment.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../api/auth/tokens.ts';
import { checkTarget, type TargetCheckDeps } from '../api/targets/target-check.ts';
import type { TargetPreflight } from '../api/worker/handlers/contract.ts';
import { runOperation } from '../api/worker/run-operation.ts';
import { FakeEngine } from './support/fake-engine.ts';
import { testPlatform, type TestPlatform } from './support/services.ts';

const ROLE = 'arn:aws:iam::123456789012:role/kaas-platform-admin';
const emptyHome = fs.mkdtempSync(path.join(os.tmpdir(), 'kaas-preflight-'));
const settings = { retries: 2, backoffMs: 1 };

/** The real check with the worker environment `deps` (no cloud, no Pulumi CLI). */
const preflightWith = (deps: Partial<TargetCheckDeps>): TargetPreflight => (target, spec, label) =>
  checkTarget(target, { env: {}, homeDir: emptyHome, listPlugins: async () => [], workerEgressCidrs: undefined, ...deps }, [{ label, spec }]);

describe('the target check before a create', () => {
  let p: TestPlatform;
  let alice: Actor;
  const op = (id: string) => p.services.db.selectFrom('operations').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

  beforeAll(async () => {
    p = await testPlatform();
    alice = await p.actor('alice', 'member', await p.team('payments', { maxClusters: 20, maxTotalNodes: 500 }));
    const admin = await p.actor('root', 'platform-admin', null);
    await p.caller(admin).targets.create({ name: 'aws-prod', cloud: 'aws', region: 'eu-west-1', account: '123456789012', dnsZones: ['prod.example.com'], settings: { platformAdminRoleArn: ROLE } });
  }, 120_000);
  afterAll(() => p?.close());

  it('a create on a target failing its check ends failed with every failure and its fix, before any engine call, without retries', async () => {
    const engine = new FakeEngine();
    const { operation } = await p.caller(alice).clusters.create({ name: 'web', template: 'eks-standard', target: 'aws-prod' });
    await runOperation(p.services, operation.id, settings, new AbortController().signal, engine, preflightWith({}));
    const row = await op(operation.id);
    expect(row.status).toBe('failed');
    expect(engine.calls).toEqual([]);
    expect(row.error).toMatch(/^target aws-prod failed its check before the create/);
    // here, with no credentials, it says exactly that, with the fix
    expect(row.error).toMatch(/credentials: no aws credentials discoverable .* \(fix: give the worker AWS credentials/);
    expect(row.error).toMatch(/plugins: resource plugin aws \S+ \(pinned by @pulumi\/aws\) is not installed \(fix: pulumi plugin install resource aws/);
    expect(row.error).toMatch(/endpoint: cluster web: cannot tell .* \(fix: set KAAS_WORKER_EGRESS_CIDRS/);
    const cluster = await p.services.db.selectFrom('clusters').selectAll().where('id', '=', operation.clusterId).executeTakeFirstOrThrow();
    expect(cluster.status).toBe('failed');
    expect(cluster.status_reason).toMatch(/failed its check/);
  });

  it('only the failing items are reported: a worker whose egress is outside authorizedCidrs is told the CIDR to add', async () => {
    const engine = new FakeEngine();
    const { operation } = await p.caller(alice).clusters.create({ name: 'web2', template: 'eks-standard', target: 'aws-prod' });
    const plugins = async () => ['aws', 'kubernetes'].map((name) => ({ name, kind: 'resource', version: JSON.parse(fs.readFileSync(path.join('node_modules', '@pulumi', name, 'package.json'), 'utf8')).version as string }));
    await runOperation(p.services, operation.id, settings, new AbortController().signal, engine, preflightWith({ env: { AWS_ACCESS_KEY_ID: 'a', AWS_SECRET_ACCESS_KEY: 'b' }, listPlugins: plugins, workerEgressCidrs: ['198.51.100.7/32'] }));
    const row = await op(operation.id);
    expect(row.status).toBe('failed');
    expect(engine.calls).toEqual([]);
    expect(row.error).not.toMatch(/credentials:|plugins:|settings:/);
    expect(row.error).toMatch(/endpoint: cluster web2: .*\(fix: add 198\.51\.100\.7\/32 to networking\.authorizedCidrs/);
  });

  it('a create on a target passing its check reaches the engine', async () => {
    const engine = new FakeEngine();
    const { operation } = await p.caller(alice).clusters.create({ name: 'web3', template: 'eks-standard', target: 'aws-prod' });
    const plugins = async () => ['aws', 'kubernetes'].map((name) => ({ name, kind: 'resource', version: JSON.parse(fs.readFileSync(path.join('node_modules', '@pulumi', name, 'package.json'), 'utf8')).version as string }));
    await runOperation(p.services, operation.id, settings, new AbortController().signal, engine, preflightWith({ env: { AWS_ACCESS_KEY_ID: 'a', AWS_SECRET_ACCESS_KEY: 'b' }, listPlugins: plugins, workerEgressCidrs: ['10.1.2.3/32'] }));
    expect((await op(operation.id)).status).toBe('succeeded');
    expect(engine.calls.map((c) => c.method)).toEqual(['up']);
  });

  it('a sim target passes trivially with the worker’s own (default) check', async () => {
    const engine = new FakeEngine();
    const { operation } = await p.caller(alice).clusters.create({ name: 'dev', template: 'sim-dev' });
    await runOperation(p.services, operation.id, settings, new AbortController().signal, engine);
    expect((await op(operation.id)).status).toBe('succeeded');
    expect(engine.calls.map((c) => c.method)).toEqual(['up']);
  });
});
