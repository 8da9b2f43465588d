/**
 * IRSA: an IAM role that exactly one Kubernetes service account (namespace + name) of one EKS
 * cluster can assume through the cluster's OIDC provider, with one inline-managed policy.
 */
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import type { AwsAddonCloud, ServiceAccountBinding } from '../addons/contract.ts';

/** An IAM policy document (the subset we write). */
export interface PolicyDocument {
  Version: '2012-10-17';
  Statement: Array<{
    Sid?: string;
    Effect: 'Allow' | 'Deny';
    Action: string | string[];
    Resource: pulumi.Input<string> | pulumi.Input<string>[];
    Condition?: Record<string, Record<string, string | string[]>>;
  }>;
}

/** The trust policy that lets `system:serviceaccount:<namespace>:<serviceAccount>` assume a role. */
export function irsaTrustPolicy(oidcProviderArn: string, issuerHost: string, namespace: string, serviceAccount: string): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { Federated: oidcProviderArn },
        Action: 'sts:AssumeRoleWithWebIdentity',
        Condition: {
          StringEquals: {
            [`${issuerHost}:sub`]: `system:serviceaccount:${namespace}:${serviceAccount}`,
            [`${issuerHost}:aud`]: 'sts.amazonaws.com',
          },
        },
      },
    ],
  });
}

/** Creates the role + policy + attachment; returns the service account annotation to use. */
export function irsaRole(
  name: string,
  cloud: AwsAddonCloud,
  binding: { namespace: string; serviceAccount: string; policy: PolicyDocument },
  opts: pulumi.CustomResourceOptions,
): { role: aws.iam.Role; serviceAccount: ServiceAccountBinding } {
  const role = new aws.iam.Role(
    `${name}-irsa`,
    {
      assumeRolePolicy: pulumi
        .all([cloud.oidcProviderArn, cloud.oidcIssuerHost])
        .apply(([arn, host]) => irsaTrustPolicy(arn, host, binding.namespace, binding.serviceAccount)),
      tags: cloud.tags,
    },
    opts,
  );
  const policy = new aws.iam.Policy(
    `${name}-policy`,
    { policy: pulumi.output(binding.policy).apply((p) => JSON.stringify(p)), tags: cloud.tags },
    opts,
  );
  new aws.iam.RolePolicyAttachment(`${name}-policy`, { role: role.name, policyArn: policy.arn }, opts);
  return { role, serviceAccount: { annotations: { 'eks.amazonaws.com/role-arn': role.arn }, podLabels: {} } };
}
