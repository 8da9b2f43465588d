/**
 * How the worker reaches an EKS cluster it created: the access entry of the platform admin role,
 * the exec kubeconfig assuming that role, and the ordering the Kubernetes provider needs.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { installMocks, runProgram, valueOf } from './mock-harness.ts';
import { identity, standardSpec } from './fixtures.ts';
import { eksProgram } from '../../stacks/eks/index.ts';

const mocks = installMocks();
const ROLE = 'arn:aws:iam::123456789012:role/kaas-platform-admin';
const ASSOC = 'aws:eks/accessPolicyAssociation:AccessPolicyAssociation';

function registeredAt(key: string): number {
  return mocks.log.indexOf(`register:${key}`);
}

describe('eks platform access', () => {
  beforeEach(() => {
    mocks.reset();
    for (const k of Object.keys(mocks.delays)) delete mocks.delays[k];
  });

  // https://docs.aws.amazon.com/eks/latest/userguide/access-entries.html : with authenticationMode
  // API only principals with an access entry are authenticated, and bootstrapClusterCreatorAdmin
  // is off here, so the worker must present the admin role's identity.
  // `aws eks get-token --role-arn`: "Assume this role for credentials when signing the token"
  // (https://awscli.amazonaws.com/v2/documentation/api/latest/reference/eks/get-token.html).
  it('the exec kubeconfig assumes the platform admin role that has the access entry', async () => {
    const out = await runProgram(eksProgram(standardSpec('aws'), identity, { platformAdminRoleArn: ROLE }), mocks);
    const kubeconfig = JSON.parse(await valueOf(out.kubeconfig));
    const args: string[] = kubeconfig.users[0].user.exec.args;
    expect(args).toContain('--role-arn');
    expect(args[args.indexOf('--role-arn') + 1]).toBe(ROLE);
    expect(mocks.one('aws:eks/accessEntry:AccessEntry', 'kaas-c0ffee42-platform-admin').inputs.principalArn).toBe(ROLE);
  });

  // An access entry grants nothing until a policy is associated with it ("access policies …
  // associated with an access entry", same page): every Helm install made before the
  // AmazonEKSClusterAdminPolicy association exists is rejected with 401/403.
  it('the Kubernetes provider waits for the access policy association', async () => {
    mocks.delays[ASSOC] = 30;
    await runProgram(eksProgram(standardSpec('aws'), identity, { platformAdminRoleArn: ROLE }), mocks);
    const done = mocks.log.indexOf(`done:${ASSOC}/kaas-c0ffee42-platform-admin`);
    expect(done).toBeGreaterThanOrEqual(0);
    expect(registeredAt('pulumi:providers:kubernetes/k8s')).toBeGreaterThan(done);
  });

  // https://docs.aws.amazon.com/eks/latest/userguide/envelope-encryption.html : the cluster role
  // must be allowed to use the key when the cluster is created, or CreateCluster fails on the
  // encryption config. The role's KMS policy is therefore a dependency of the cluster.
  it('the cluster waits for the role policy that lets it use the KMS key', async () => {
    mocks.delays['aws:iam/rolePolicy:RolePolicy'] = 30;
    await runProgram(eksProgram(standardSpec('aws'), identity, { platformAdminRoleArn: ROLE }), mocks);
    const done = mocks.log.indexOf('done:aws:iam/rolePolicy:RolePolicy/kaas-c0ffee42-cluster-kms');
    expect(done).toBeGreaterThanOrEqual(0);
    expect(registeredAt('aws:eks/cluster:Cluster/kaas-c0ffee42')).toBeGreaterThan(done);
  });
});
