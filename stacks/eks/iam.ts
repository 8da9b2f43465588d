/** IAM roles of an EKS cluster: the control-plane role and one role per managed node group. */
import * as aws from '@pulumi/aws';
import type * as pulumi from '@pulumi/pulumi';

function serviceTrust(service: string): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { Service: service }, Action: ['sts:AssumeRole', 'sts:TagSession'] }],
  });
}

/** AWS managed policies a managed node group's role needs. */
export const NODE_POLICIES = ['AmazonEKSWorkerNodePolicy', 'AmazonEKS_CNI_Policy', 'AmazonEC2ContainerRegistryReadOnly'] as const;

/** A role assumed by `service`, with the given AWS managed policies attached. */
export function serviceRole(
  name: string,
  service: string,
  managedPolicies: readonly string[],
  partition: string,
  tags: Record<string, string>,
  opts: pulumi.CustomResourceOptions,
): { role: aws.iam.Role; attachments: aws.iam.RolePolicyAttachment[] } {
  const role = new aws.iam.Role(name, { assumeRolePolicy: serviceTrust(service), tags }, opts);
  const attachments = managedPolicies.map(
    (policy) =>
      new aws.iam.RolePolicyAttachment(`${name}-${policy}`, {
        role: role.name,
        policyArn: `arn:${partition}:iam::aws:policy/${policy}`,
      }, opts),
  );
  return { role, attachments };
}
