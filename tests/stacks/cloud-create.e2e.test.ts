/**
 * The real-cloud path end to end, minus the clouds: targets created through the API with their
 * settings, `clusters.create` through createCaller on real PostgreSQL, the worker's runOperation
 * choosing the program, and the program run under Pulumi mocks by an engine stand-in (no Pulumi
 * engine). Asserts that each target's settings reached the resources that need them, so a wiring
 * gap like issue 9 #2 (the worker passing no options) fails here.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Actor } from '../../api/auth/tokens.ts';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { checkTarget } from '../../api/targets/target-check.ts';
import type { TargetPreflight } from '../../api/worker/handlers/contract.ts';
import { runOperation } from '../../api/worker/run-operation.ts';
import type { Engine, StackOutputs, StackTarget } from '../../stacks/engine/engine.ts';
import { testPlatform, type TestPlatform } from '../support/services.ts';
import { installMocks, runProgram, unwrapSecret, valueOf } from './mock-harness.ts';

const mocks = installMocks();
const ROLE = 'arn:aws:iam::123456789012:role/kaas-platform-admin';
const GROUP = '3f2504e0-4f89-41d3-9a0c-0305e82c3301';

/** The (secret) kubeconfig the Kubernetes provider was given. */
function kubeconfigOf(inputs: Record<string, any>): any {
  return JSON.parse(String(unwrapSecret(inputs.kubeconfig).value));
}

/** The provider plugins at the versions the SDK packages pin, as `pulumi plugin ls` would list them. */
const pinnedPlugins = async () =>
  ['aws', 'gcp', 'azure-native', 'kubernetes'].map((name) => ({ name, kind: 'resource', version: JSON.parse(fs.readFileSync(path.join('node_modules', '@pulumi', name, 'package.json'), 'utf8')).version as string }));
/**
 * The worker's real target check before the create, in a worker environment that passes it: fake
 * credentials of each cloud, the pinned plugins, an egress address the templates' default
 * authorizedCidrs (10.0.0.0/8) admit. No cloud is called.
 */
const passingPreflight: TargetPreflight = (target, spec, label) =>
  checkTarget(target, {
    env: { AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', GOOGLE_APPLICATION_CREDENTIALS: '/dev/null', AZURE_CLIENT_ID: 'test', AZURE_CLIENT_SECRET: 'test' },
    homeDir: fs.mkdtempSync(path.join(os.tmpdir(), 'kaas-e2e-home-')),
    listPlugins: pinnedPlugins,
    workerEgressCidrs: ['10.1.2.3/32'],
  }, [{ label, spec }]);

/** Runs the program it is given under the Pulumi mocks instead of the engine. */
function mockEngine(ran: string[]): Engine {
  return {
    async up(target: StackTarget) {
      ran.push(target.stackName);
      const outputs = await runProgram(target.program as () => Promise<Record<string, unknown>>, mocks);
      const mapped: StackOutputs = {};
      for (const [k, v] of Object.entries(outputs)) mapped[k] = { value: await valueOf(v as any), secret: k === 'kubeconfig' };
      return { changes: { create: mocks.resources.length }, outputs: mapped };
    },
  } as unknown as Engine;
}

describe('clusters.create on aws, gcp and azure targets → worker → program (mocks)', () => {
  let p: TestPlatform;
  let alice: Actor;
  let admin: Actor;
  const ran: string[] = [];

  async function createAndRun(template: string, target: string) {
    const { cluster, operation } = await p.caller(alice).clusters.create({ name: `c-${target}`, template, target });
    const services = { ...p.services, engine: mockEngine(ran) };
    await runOperation(services, operation.id, { retries: 0, backoffMs: 1 }, new AbortController().signal, services.engine, passingPreflight);
    const op = await p.services.db.selectFrom('operations').selectAll().where('id', '=', operation.id).executeTakeFirstOrThrow();
    return { cluster, op };
  }

  beforeAll(async () => {
    p = await testPlatform();
    const team = await p.team('payments', { maxClusters: 10, maxTotalNodes: 200 });
    alice = await p.actor('alice', 'member', team);
    admin = await p.actor('root', 'platform-admin', null);
    const a = p.caller(admin).targets;
    await a.create({ name: 'aws-prod', cloud: 'aws', region: 'eu-west-1', account: '123456789012', dnsZones: ['prod.example.com'], settings: { platformAdminRoleArn: ROLE } });
    await a.create({ name: 'gcp-prod', cloud: 'gcp', region: 'europe-west1', account: 'kaas-project', dnsZones: ['prod.example.com'], settings: { credentialsMode: 'gcloud' } });
    await a.create({ name: 'azure-prod', cloud: 'azure', region: 'westeurope', account: '00000000-0000-0000-0000-000000000001', dnsZones: ['prod.example.com'], settings: { adminGroupObjectIds: [GROUP], kubeloginMode: 'workloadidentity' } });
  }, 120_000);
  afterAll(() => p?.close());
  beforeEach(() => mocks.reset());

  it('aws: the access entry and the exec kubeconfig use the target’s platform admin role', async () => {
    const { op } = await createAndRun('eks-standard', 'aws-prod');
    expect(op.error).toBeNull();
    expect(op.status).toBe('succeeded');
    expect(mocks.ofType('aws:eks/accessEntry:AccessEntry').map((r) => r.inputs.principalArn)).toEqual([ROLE]);
    const provider = mocks.ofType('pulumi:providers:kubernetes')[0]!;
    const kubeconfig = kubeconfigOf(provider.inputs);
    expect(kubeconfig.users[0].user.exec.args).toEqual(expect.arrayContaining(['--role-arn', ROLE]));
  }, 120_000);

  it('gcp: the kubeconfig follows the target’s credentials mode', async () => {
    const { op } = await createAndRun('gke-standard', 'gcp-prod');
    expect(op.error).toBeNull();
    expect(op.status).toBe('succeeded');
    const provider = mocks.ofType('pulumi:providers:kubernetes')[0]!;
    expect(kubeconfigOf(provider.inputs).users[0].user.exec.args).not.toContain('--use_application_default_credentials');
  }, 120_000);

  it('azure: admin groups and the kubelogin mode come from the target', async () => {
    const { op } = await createAndRun('aks-standard', 'azure-prod');
    expect(op.error).toBeNull();
    expect(op.status).toBe('succeeded');
    const mc = mocks.ofType('azure-native:containerservice:ManagedCluster')[0]!.inputs;
    expect(mc.aadProfile.adminGroupObjectIDs).toEqual([GROUP]);
    const provider = mocks.ofType('pulumi:providers:kubernetes')[0]!;
    const args: string[] = kubeconfigOf(provider.inputs).users[0].user.exec.args;
    expect(args[args.indexOf('--login') + 1]).toBe('workloadidentity');
  }, 120_000);

  it('a target without its required settings fails the operation before the engine runs, naming the setting', async () => {
    // a target row from before settings existed (the migration gives it `{}`)
    await p.services.db.insertInto('targets').values({ id: 'g-legacy', name: 'aws-legacy', cloud: 'aws', region: 'eu-west-1', account: '123456789012', dns_zones: ['prod.example.com'] }).execute();
    const before = ran.length;
    const { op } = await createAndRun('eks-standard', 'aws-legacy');
    expect(op.status).toBe('failed');
    expect(op.error).toMatch(/target\.settings\.platformAdminRoleArn/);
    expect(ran.length).toBe(before);
  }, 120_000);

  it('targets.create refuses missing or foreign settings, naming the field', async () => {
    const a = p.caller(admin).targets;
    await expect(a.create({ name: 'aws-x', cloud: 'aws', region: 'eu-west-1', account: '123456789012' })).rejects.toThrow(/settings\.platformAdminRoleArn/);
    await expect(a.create({ name: 'aws-y', cloud: 'aws', region: 'eu-west-1', account: '123456789012', settings: { platformAdminRoleArn: ROLE, kubeloginMode: 'msi' } })).rejects.toThrow(/unknown field.*kubeloginMode/);
    await expect(a.create({ name: 'az-x', cloud: 'azure', region: 'westeurope', account: '00000000-0000-0000-0000-000000000001', settings: { adminGroupObjectIds: [] } })).rejects.toThrow(/adminGroupObjectIds/);
  });
});
