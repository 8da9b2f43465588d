/**
 * The IAM policy of the AWS Load Balancer Controller, following the controller's published
 * `iam_policy.json` (v2.13): read-only discovery everywhere; creating and changing load balancers,
 * target groups and security groups only where the request / resource carries the
 * `elbv2.k8s.aws/cluster` tag the controller sets, so it only touches what it created.
 */
import type { PolicyDocument } from '../eks/irsa.ts';

const CLUSTER_TAG_PRESENT = { Null: { 'aws:ResourceTag/elbv2.k8s.aws/cluster': 'false' } };
const REQUEST_TAG_PRESENT = { Null: { 'aws:RequestTag/elbv2.k8s.aws/cluster': 'false' } };

/** The controller's policy document. */
export function awsLoadBalancerControllerPolicy(partition: string): PolicyDocument {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Action: 'iam:CreateServiceLinkedRole',
        Resource: '*',
        Condition: { StringEquals: { 'iam:AWSServiceName': 'elasticloadbalancing.amazonaws.com' } },
      },
      {
        Sid: 'Discover',
        Effect: 'Allow',
        Action: [
          'ec2:DescribeAccountAttributes', 'ec2:DescribeAddresses', 'ec2:DescribeAvailabilityZones',
          'ec2:DescribeInternetGateways', 'ec2:DescribeVpcs', 'ec2:DescribeVpcPeeringConnections',
          'ec2:DescribeSubnets', 'ec2:DescribeSecurityGroups', 'ec2:DescribeInstances',
          'ec2:DescribeNetworkInterfaces', 'ec2:DescribeTags', 'ec2:GetCoipPoolUsage', 'ec2:DescribeCoipPools',
          'ec2:GetSecurityGroupsForVpc', 'ec2:DescribeIpamPools', 'ec2:DescribeRouteTables',
          'elasticloadbalancing:Describe*', 'acm:ListCertificates', 'acm:DescribeCertificate',
          'iam:ListServerCertificates', 'iam:GetServerCertificate', 'cognito-idp:DescribeUserPoolClient',
          'waf-regional:GetWebACL', 'waf-regional:GetWebACLForResource', 'waf-regional:AssociateWebACL',
          'waf-regional:DisassociateWebACL', 'wafv2:GetWebACL', 'wafv2:GetWebACLForResource',
          'wafv2:AssociateWebACL', 'wafv2:DisassociateWebACL', 'shield:GetSubscriptionState',
          'shield:DescribeProtection', 'shield:CreateProtection', 'shield:DeleteProtection',
        ],
        Resource: '*',
      },
      {
        Effect: 'Allow',
        Action: ['ec2:AuthorizeSecurityGroupIngress', 'ec2:RevokeSecurityGroupIngress'],
        Resource: '*',
      },
      { Effect: 'Allow', Action: 'ec2:CreateSecurityGroup', Resource: '*' },
      {
        Effect: 'Allow',
        Action: 'ec2:CreateTags',
        Resource: `arn:${partition}:ec2:*:*:security-group/*`,
        Condition: { StringEquals: { 'ec2:CreateAction': 'CreateSecurityGroup' }, ...REQUEST_TAG_PRESENT },
      },
      {
        Effect: 'Allow',
        Action: ['ec2:CreateTags', 'ec2:DeleteTags', 'ec2:AuthorizeSecurityGroupIngress', 'ec2:RevokeSecurityGroupIngress', 'ec2:DeleteSecurityGroup'],
        Resource: `arn:${partition}:ec2:*:*:security-group/*`,
        Condition: CLUSTER_TAG_PRESENT,
      },
      {
        Effect: 'Allow',
        Action: ['elasticloadbalancing:CreateLoadBalancer', 'elasticloadbalancing:CreateTargetGroup'],
        Resource: '*',
        Condition: REQUEST_TAG_PRESENT,
      },
      {
        Effect: 'Allow',
        Action: [
          'elasticloadbalancing:CreateListener', 'elasticloadbalancing:DeleteListener',
          'elasticloadbalancing:CreateRule', 'elasticloadbalancing:DeleteRule',
        ],
        Resource: '*',
      },
      {
        Effect: 'Allow',
        Action: ['elasticloadbalancing:AddTags', 'elasticloadbalancing:RemoveTags'],
        Resource: [
          `arn:${partition}:elasticloadbalancing:*:*:targetgroup/*/*`,
          `arn:${partition}:elasticloadbalancing:*:*:loadbalancer/net/*/*`,
          `arn:${partition}:elasticloadbalancing:*:*:loadbalancer/app/*/*`,
        ],
        Condition: CLUSTER_TAG_PRESENT,
      },
      {
        Effect: 'Allow',
        Action: [
          'elasticloadbalancing:ModifyLoadBalancerAttributes', 'elasticloadbalancing:SetIpAddressType',
          'elasticloadbalancing:SetSecurityGroups', 'elasticloadbalancing:SetSubnets',
          'elasticloadbalancing:DeleteLoadBalancer', 'elasticloadbalancing:ModifyTargetGroup',
          'elasticloadbalancing:ModifyTargetGroupAttributes', 'elasticloadbalancing:DeleteTargetGroup',
          'elasticloadbalancing:ModifyListenerAttributes', 'elasticloadbalancing:ModifyCapacityReservation',
          'elasticloadbalancing:ModifyIpPools',
        ],
        Resource: '*',
        Condition: CLUSTER_TAG_PRESENT,
      },
      {
        Effect: 'Allow',
        Action: 'elasticloadbalancing:AddTags',
        Resource: [
          `arn:${partition}:elasticloadbalancing:*:*:targetgroup/*/*`,
          `arn:${partition}:elasticloadbalancing:*:*:loadbalancer/net/*/*`,
          `arn:${partition}:elasticloadbalancing:*:*:loadbalancer/app/*/*`,
        ],
        Condition: {
          StringEquals: { 'elasticloadbalancing:CreateAction': ['CreateTargetGroup', 'CreateLoadBalancer'] },
          ...REQUEST_TAG_PRESENT,
        },
      },
      {
        Effect: 'Allow',
        Action: ['elasticloadbalancing:RegisterTargets', 'elasticloadbalancing:DeregisterTargets'],
        Resource: `arn:${partition}:elasticloadbalancing:*:*:targetgroup/*/*`,
      },
      {
        Effect: 'Allow',
        Action: [
          'elasticloadbalancing:SetWebAcl', 'elasticloadbalancing:ModifyListener',
          'elasticloadbalancing:AddListenerCertificates', 'elasticloadbalancing:RemoveListenerCertificates',
          'elasticloadbalancing:ModifyRule', 'elasticloadbalancing:SetRulePriorities',
        ],
        Resource: '*',
      },
    ],
  };
}
