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

  // authenticationMode API: "only access entries API will be used" (no aws-auth ConfigMap;
  // https://docs.aws.amazon.com/eks/latest/eksctl/access-entries.html, values as in pulumi-aws@7.48.0
  // ClusterAccessConfig), and bootstrapClusterCreatorAdminPermissions (default true) is off here,
  // so the worker must present the admin role's identity. `aws eks get-token --role-arn`: "Assume
  // this role for credentials when signing the token"
  // (https://docs.aws.amazon.com/cli/latest/reference/eks/get-token.html).
  it('the exec kubeconfig assumes the platform admin role that has the access entry', async () => {
    const out = await runProgram(eksProgram(standardSpec('aws'), identity, { platformAdminRoleArn: ROLE }), mocks);
    const kubeconfig = JSON.parse(await valueOf(out.kubeconfig));
    const args: string[] = kubeconfig.users[0].user.exec.args;
    expect(args).toContain('--role-arn');
    expect(args[args.indexOf('--role-arn') + 1]).toBe(ROLE);
    expect(mocks.one('aws:eks/accessEntry:AccessEntry', 'kaas-c0ffee42-platform-admin').inputs.principalArn).toBe(ROLE);
  });

  // An access entry's Kubernetes permissions come from the access policies associated with it or
  // from Kubernetes groups bound by RBAC (https://docs.aws.amazon.com/eks/latest/userguide/access-policies.html:
  // "If none of the access policies meet your requirements, then don't associate an access policy
  // ... Instead, specify one or more group names"). This entry has no groups, so Helm installs made
  // before the AmazonEKSClusterAdminPolicy association exists are forbidden.
  it('the Kubernetes provider waits for the access policy association', async () => {
    mocks.delays[ASSOC] = 30;
    await runProgram(eksProgram(standardSpec('aws'), identity, { platformAdminRoleArn: ROLE }), mocks);
    const done = mocks.log.indexOf(`done:${ASSOC}/kaas-c0ffee42-platform-admin`);
    expect(done).toBeGreaterThanOrEqual(0);
    expect(registeredAt('pulumi:providers:kubernetes/k8s')).toBeGreaterThan(done);
  });

  // The cluster role uses the secrets key (EKS encrypts with it on the role's behalf): the
  // reference module grants the cluster role exactly kms:Encrypt, kms:Decrypt, kms:ListGrants,
  // kms:DescribeKey on the key (terraform-aws-modules/terraform-aws-eks main.tf@0005984,
  // aws_iam_policy.cluster_encryption), as our RolePolicy does. Re-read: the AWS docs found
  // (envelope-encryption, enable-kms, API_Provider) do not say CreateCluster fails without it, so
  // this ordering is a guard against IAM's eventual consistency, not a documented failure.
  it('the cluster waits for the role policy that lets it use the KMS key', async () => {
    mocks.delays['aws:iam/rolePolicy:RolePolicy'] = 30;
    await runProgram(eksProgram(standardSpec('aws'), identity, { platformAdminRoleArn: ROLE }), mocks);
    const done = mocks.log.indexOf('done:aws:iam/rolePolicy:RolePolicy/kaas-c0ffee42-cluster-kms');
    expect(done).toBeGreaterThanOrEqual(0);
    expect(registeredAt('aws:eks/cluster:Cluster/kaas-c0ffee42')).toBeGreaterThan(done);
  });
});
