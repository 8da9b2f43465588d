/**
 * EKS storage requirements:
 * - EKS creates no default StorageClass for clusters from 1.30 on, and has no in-tree EBS
 *   provisioner: PVCs (Prometheus) stay Pending without the EBS CSI driver
 *   (https://docs.aws.amazon.com/eks/latest/userguide/ebs-csi.html; kubernetes-sigs/aws-ebs-csi-driver).
 * - The driver's controller runs as kube-system/ebs-csi-controller-sa and needs the permissions of
 *   the AWS managed policy AmazonEBSCSIDriverPolicyV2 (kubernetes-sigs/aws-ebs-csi-driver
 *   docs/install.md@429e202, "Set up driver permissions").
 * - StorageClass parameters `type: gp3`, `encrypted: "true"` (kubernetes-sigs/aws-ebs-csi-driver
 *   docs/parameters.md@429e202); without kmsKeyId the region's aws/ebs key is used, which needs
 *   no extra key permissions. Default class: annotation storageclass.kubernetes.io/is-default-class
 *   (https://kubernetes.io/docs/tasks/administer-cluster/change-default-storage-class/).
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { installMocks, json, runProgram } from './mock-harness.ts';
import { identity, standardSpec } from './fixtures.ts';
import { eksProgram } from '../../stacks/eks/index.ts';

const mocks = installMocks();

async function run() {
  return runProgram(eksProgram(standardSpec('aws'), identity, { platformAdminRoleArn: 'arn:aws:iam::123456789012:role/admin' }), mocks);
}

describe('EBS CSI driver on EKS', () => {
  beforeEach(() => mocks.reset());

  it('installs the aws-ebs-csi-driver EKS add-on with an IRSA role bound to ebs-csi-controller-sa', async () => {
    await run();
    const addons = mocks.ofType('aws:eks/addon:Addon').filter((a) => a.inputs.addonName === 'aws-ebs-csi-driver');
    expect(addons).toHaveLength(1);
    const roleName = String(addons[0]!.inputs.serviceAccountRoleArn).split('/').pop()!;
    const role = mocks.one('aws:iam/role:Role', roleName);
    const trust = json(role.inputs.assumeRolePolicy).Statement[0];
    const host = 'oidc.eks.eu-west-1.amazonaws.com/id/KAAS-C0FFEE42';
    expect(trust.Condition.StringEquals).toEqual({
      [`${host}:sub`]: 'system:serviceaccount:kube-system:ebs-csi-controller-sa',
      [`${host}:aud`]: 'sts.amazonaws.com',
    });
    const attached = mocks.ofType('aws:iam/rolePolicyAttachment:RolePolicyAttachment').filter((a) => a.inputs.role === roleName);
    expect(attached.map((a) => a.inputs.policyArn)).toEqual(['arn:aws:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicyV2']);
  });

  it('makes an encrypted gp3 StorageClass the default, and Prometheus claims its volume from it', async () => {
    await run();
    const classes = mocks.ofType('kubernetes:storage.k8s.io/v1:StorageClass');
    expect(classes).toHaveLength(1);
    const sc = classes[0]!.inputs;
    expect(sc.provisioner).toBe('ebs.csi.aws.com');
    expect(sc.parameters).toEqual({ type: 'gp3', encrypted: 'true' });
    expect(sc.metadata.annotations).toEqual({ 'storageclass.kubernetes.io/is-default-class': 'true' });
    expect(sc.volumeBindingMode).toBe('WaitForFirstConsumer');
    const prom = mocks.one('kubernetes:helm.sh/v3:Release', 'prometheus').inputs.values;
    expect(prom.prometheus.prometheusSpec.storageSpec.volumeClaimTemplate.spec.storageClassName).toBe(sc.metadata.name);
  });
});
