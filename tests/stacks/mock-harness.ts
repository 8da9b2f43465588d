/**
 * Shared Pulumi-mocks harness for the stack tests: records every resource the program registers
 * (type, name, inputs) and every invoke, answers with plausible cloud state, and resolves Outputs.
 * setMocks state is global per process: use one test file per cloud (vitest pool: forks).
 */
import * as pulumi from '@pulumi/pulumi';
import { createRequire } from 'node:module';

export interface RecordedResource {
  type: string;
  name: string;
  inputs: Record<string, any>;
  /** The resource's `ignoreChanges` option as the SDK sent it to the engine. */
  ignoreChanges: string[];
}

// The mocks' `newResource` sees no resource options; the monitor's request carries them. Record
// `ignoreChanges` per type/name from the request before the mock answers (the SDK's own MockMonitor).
const ignoreChangesOf = new Map<string, string[]>();
const { MockMonitor } = createRequire(import.meta.url)('@pulumi/pulumi/runtime/mocks') as { MockMonitor: { prototype: { registerResource(req: any, cb: unknown): Promise<void> } } };
const register = MockMonitor.prototype.registerResource;
MockMonitor.prototype.registerResource = function (req: any, cb: unknown) {
  ignoreChangesOf.set(`${req.getType()}/${req.getName()}`, req.getIgnorechangesList());
  return register.call(this, req, cb);
};

export interface MockRecorder {
  resources: RecordedResource[];
  /** `register:<type>/<name>` when a resource is registered, `done:<type>/<name>` when its mock answered. */
  log: string[];
  /** Per type token: milliseconds the mock waits before answering (to expose missing dependsOn). */
  delays: Record<string, number>;
  calls: Array<{ token: string; inputs: Record<string, any> }>;
  /** Resources of one type token. */
  ofType(type: string): RecordedResource[];
  /** The single resource of `type` named `name` (throws if absent). */
  one(type: string, name: string): RecordedResource;
  reset(): void;
}

function stateFor(type: string, name: string, inputs: Record<string, any>): Record<string, unknown> {
  const base = { name: inputs.name ?? name, arn: `arn:aws:mock:::${type}/${name}` };
  switch (type) {
    case 'aws:eks/cluster:Cluster':
      return {
        ...base,
        endpoint: `https://${name}.gr7.eu-west-1.eks.amazonaws.com`,
        certificateAuthority: { data: 'TU9DSy1DQQ==' },
        identities: [{ oidcs: [{ issuer: `https://oidc.eks.eu-west-1.amazonaws.com/id/${name.toUpperCase()}` }] }],
      };
    case 'aws:eks/accessEntry:AccessEntry':
      return { ...base, principalArn: inputs.principalArn };
    case 'aws:iam/openIdConnectProvider:OpenIdConnectProvider':
      return { ...base, arn: `arn:aws:iam::123456789012:oidc-provider/${String(inputs.url).replace(/^https:\/\//, '')}` };
    case 'gcp:container/cluster:Cluster':
      return { ...base, endpoint: '34.1.2.3', masterAuth: { clusterCaCertificate: 'TU9DSy1DQQ==' }, selfLink: `projects/p/clusters/${name}` };
    case 'gcp:serviceaccount/account:Account':
      return { ...base, name: `projects/${inputs.project}/serviceAccounts/${inputs.accountId}`, email: `${inputs.accountId}@${inputs.project}.iam.gserviceaccount.com` };
    case 'azure-native:containerservice:ManagedCluster':
      return { ...base, fqdn: `${name}.hcp.westeurope.azmk8s.io`, oidcIssuerProfile: { enabled: true, issuerURL: `https://westeurope.oic.prod-aks.azure.com/tenant/${name}/` } };
    case 'azure-native:managedidentity:UserAssignedIdentity':
      return { ...base, clientId: `client-${name}`, principalId: `principal-${name}` };
    case 'azure-native:operationalinsights:Workspace':
      return { ...base, customerId: `workspace-${name}` };
    default:
      return base;
  }
}

const AKS_USER_KUBECONFIG = [
  'apiVersion: v1',
  'kind: Config',
  'clusters:',
  '- name: aks',
  '  cluster:',
  '    server: https://aks-mock.hcp.westeurope.azmk8s.io:443',
  '    certificate-authority-data: TU9DSy1DQQ==',
  'users:',
  '- name: clusterUser',
  '  user:',
  '    exec:',
  '      command: kubelogin',
].join('\n');

function callResult(token: string, inputs: Record<string, any>): Record<string, unknown> {
  switch (token) {
    case 'aws:index/getAvailabilityZones:getAvailabilityZones':
      return { names: ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'], zoneIds: ['euw1-az1', 'euw1-az2', 'euw1-az3'] };
    case 'aws:route53/getZone:getZone':
      return { name: inputs.name, zoneId: `Z${String(inputs.name).toUpperCase().replace(/\W/g, '')}`, arn: `arn:aws:route53:::hostedzone/Z${String(inputs.name).toUpperCase().replace(/\W/g, '')}` };
    case 'gcp:container/getEngineVersions:getEngineVersions':
      return { latestMasterVersion: `${inputs.versionPrefix}5-gke.1000`, latestNodeVersion: `${inputs.versionPrefix}5-gke.1000` };
    case 'azure-native:operationalinsights:getSharedKeys':
      return { primarySharedKey: 'mock-shared-key', secondarySharedKey: 'mock-shared-key-2' };
    case 'azure-native:authorization:getClientConfig':
      return { tenantId: 'tenant-1', subscriptionId: 'sub-1', clientId: 'client-1', objectId: 'object-1' };
    case 'azure-native:containerservice:listManagedClusterUserCredentials':
      return { kubeconfigs: [{ name: 'clusterUser', value: Buffer.from(AKS_USER_KUBECONFIG).toString('base64') }] };
    default:
      return inputs;
  }
}

/** Installs the mocks (call before the program runs) and returns the recorder. */
export function installMocks(project = 'kaas', stack = 'test'): MockRecorder {
  const recorder: MockRecorder = {
    resources: [],
    log: [],
    delays: {},
    calls: [],
    ofType: (type) => recorder.resources.filter((r) => r.type === type),
    one(type, name) {
      const found = recorder.resources.find((r) => r.type === type && r.name === name);
      if (!found) throw new Error(`no ${type} named ${name}; have ${recorder.ofType(type).map((r) => r.name).join(', ')}`);
      return found;
    },
    reset() {
      recorder.resources.length = 0;
      recorder.log.length = 0;
      recorder.calls.length = 0;
    },
  };
  pulumi.runtime.setMocks(
    {
      newResource(args) {
        recorder.resources.push({ type: args.type, name: args.name, inputs: args.inputs, ignoreChanges: ignoreChangesOf.get(`${args.type}/${args.name}`) ?? [] });
        const key = `${args.type}/${args.name}`;
        recorder.log.push(`register:${key}`);
        const result = { id: `${args.name}-id`, state: { ...args.inputs, ...stateFor(args.type, args.name, args.inputs) } };
        const delay = recorder.delays[args.type];
        if (!delay) {
          recorder.log.push(`done:${key}`);
          return result;
        }
        return new Promise((resolve) => setTimeout(() => { recorder.log.push(`done:${key}`); resolve(result); }, delay)) as any;
      },
      call(args) {
        recorder.calls.push({ token: args.token, inputs: args.inputs });
        return callResult(args.token, args.inputs);
      },
    },
    project,
    stack,
    false,
  );
  return recorder;
}

/** The resolved value of an Output (or plain value). */
export function valueOf<T>(o: pulumi.Output<T> | T): Promise<T> {
  return pulumi.Output.isInstance(o) ? ((o as any).promise() as Promise<T>) : Promise.resolve(o);
}

/** Whether an Output is marked secret. */
export function isSecretOutput(o: pulumi.Output<unknown>): Promise<boolean> {
  return (o as any).isSecret as Promise<boolean>;
}

/** Runs an inline program under the mocks and waits until resource registration has settled. */
export async function runProgram<T extends object>(program: () => Promise<T>, recorder: MockRecorder): Promise<T> {
  const outputs = await program();
  await Promise.all(Object.values(outputs).map((o: unknown) => valueOf(o)));
  let stableRounds = 0;
  let last = -1;
  while (stableRounds < 5) {
    await new Promise((r) => setTimeout(r, 10));
    stableRounds = recorder.resources.length === last ? stableRounds + 1 : 0;
    last = recorder.resources.length;
  }
  return outputs;
}

/** Parses a JSON policy / config input (string or already an object). */
export function json(input: unknown): any {
  return typeof input === 'string' ? JSON.parse(input) : input;
}

const SECRET_SIG_KEY = '4dabf18193072939515e22adb298388d';
const SECRET_SIG_VALUE = '1b47061264138c4ac30d75fd1eb44270';

/** A recorded input that Pulumi marked secret arrives wrapped in its secret signature. */
export function unwrapSecret(input: any): { secret: boolean; value: unknown } {
  if (input && typeof input === 'object' && input[SECRET_SIG_KEY] === SECRET_SIG_VALUE) return { secret: true, value: input.value };
  return { secret: false, value: input };
}
