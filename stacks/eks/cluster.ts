/**
 * `kaas:eks:Cluster` — an EKS cluster built from a ClusterSpec with plain @pulumi/aws resources:
 * network (created or reused), control-plane role, KMS envelope encryption of secrets,
 * control-plane logs, API access limited to the authorised CIDRs, an IAM OIDC provider for IRSA,
 * access entries (API mode, no aws-auth ConfigMap) and one managed node group per pool.
 */
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import type { ClusterIdentity, ClusterSpec } from '../../platform/cluster-spec.ts';
import { standardTags } from '../common/tags.ts';
import { execKubeconfig } from '../common/kubeconfig.ts';
import { eksNetwork } from './network.ts';
import { serviceRole } from './iam.ts';
import { eksNodeGroup } from './node-group.ts';
import { physicalPools } from '../../platform/pool-generation.ts';

export interface EksClusterArgs {
  spec: ClusterSpec;
  identity: ClusterIdentity;
  /** IAM role granted cluster-admin through an access entry (platform operators). */
  platformAdminRoleArn: string;
  partition: string;
  availabilityZoneCount: number;
  /** Every node group at 0 (a hibernated cluster; platform/pool-generation.ts `physicalPools`). */
  hibernated?: boolean;
}

export const EKS_LOG_TYPES = ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'] as const;

export class EksCluster extends pulumi.ComponentResource {
  readonly clusterName: pulumi.Output<string>;
  readonly endpoint: pulumi.Output<string>;
  readonly certificateAuthority: pulumi.Output<string>;
  /** Issuer URL (`https://oidc.eks…`). */
  readonly oidcIssuer: pulumi.Output<string>;
  readonly oidcProviderArn: pulumi.Output<string>;
  readonly vpcId: pulumi.Output<string>;
  readonly nodeGroups: aws.eks.NodeGroup[];
  /** The cluster-admin policy association of the platform admin role: Kubernetes calls wait for it. */
  readonly adminAccess: aws.eks.AccessPolicyAssociation;
  /** Exec-only kubeconfig (aws eks get-token --role-arn <platform admin role>), as a secret. */
  readonly kubeconfig: pulumi.Output<string>;

  constructor(name: string, args: EksClusterArgs, opts: pulumi.ComponentResourceOptions = {}) {
    super('kaas:eks:Cluster', name, {}, opts);
    const { spec, identity, partition } = args;
    const tags = standardTags(spec, identity);
    const child = { parent: this };
    const clusterName = `kaas-${identity.clusterId}`;
    const net = eksNetwork(clusterName, spec.networking, args.availabilityZoneCount, tags, this);

    const { role: clusterRole, attachments } = serviceRole(`${clusterName}-cluster`, 'eks.amazonaws.com', ['AmazonEKSClusterPolicy'], partition, tags, child);
    const key = new aws.kms.Key(`${clusterName}-secrets`, {
      description: `Envelope encryption of Kubernetes secrets of ${clusterName}`,
      enableKeyRotation: true,
      deletionWindowInDays: 30,
      tags,
    }, child);
    // Created before the cluster so EKS writes into a group with a retention, not its own.
    const logGroup = new aws.cloudwatch.LogGroup(`${clusterName}-control-plane`, {
      name: `/aws/eks/${clusterName}/cluster`,
      retentionInDays: 90,
      tags,
    }, child);
    // With the default key policy the cluster role needs IAM permission to use the key, and
    // needs it when the cluster is created (https://docs.aws.amazon.com/eks/latest/userguide/envelope-encryption.html).
    const keyAccess = new aws.iam.RolePolicy(`${clusterName}-cluster-kms`, {
      role: clusterRole.id,
      policy: key.arn.apply((arn) => JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:ListGrants', 'kms:DescribeKey'], Resource: arn }],
      })),
    }, child);
    const publicAccess = !spec.networking.privateEndpoint && spec.networking.authorizedCidrs.length > 0;
    const cluster = new aws.eks.Cluster(clusterName, {
      name: clusterName,
      version: spec.kubernetesVersion,
      roleArn: clusterRole.arn,
      vpcConfig: {
        subnetIds: net.clusterSubnetIds,
        endpointPrivateAccess: true,
        endpointPublicAccess: publicAccess,
        // only meaningful with public access; omitted otherwise (EKS would default it to 0.0.0.0/0)
        ...(publicAccess ? { publicAccessCidrs: spec.networking.authorizedCidrs } : {}),
      },
      encryptionConfig: { resources: ['secrets'], provider: { keyArn: key.arn } },
      enabledClusterLogTypes: [...EKS_LOG_TYPES],
      accessConfig: { authenticationMode: 'API', bootstrapClusterCreatorAdminPermissions: false },
      deletionProtection: spec.deletionProtection,
      tags,
    }, { parent: this, dependsOn: [...attachments, keyAccess, logGroup] });

    this.oidcIssuer = cluster.identities.apply((ids) => ids[0]?.oidcs[0]?.issuer ?? '');
    const oidc = new aws.iam.OpenIdConnectProvider(`${clusterName}-oidc`, {
      url: this.oidcIssuer,
      clientIdLists: ['sts.amazonaws.com'],
      tags,
    }, child);

    const admin = new aws.eks.AccessEntry(`${clusterName}-platform-admin`, {
      clusterName: cluster.name,
      principalArn: args.platformAdminRoleArn,
      type: 'STANDARD',
      tags,
    }, child);
    this.adminAccess = new aws.eks.AccessPolicyAssociation(`${clusterName}-platform-admin`, {
      clusterName: cluster.name,
      principalArn: admin.principalArn,
      policyArn: `arn:${partition}:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy`,
      accessScope: { type: 'cluster' },
    }, child);

    this.nodeGroups = physicalPools(spec, { hibernated: args.hibernated === true }).map((pool) =>
      eksNodeGroup(pool, { clusterName: cluster.name, clusterVersion: spec.kubernetesVersion, subnetIds: net.nodeSubnetIds, partition, tags }, child),
    );

    this.clusterName = cluster.name;
    this.endpoint = cluster.endpoint;
    this.certificateAuthority = cluster.certificateAuthority.data;
    this.oidcProviderArn = oidc.arn;
    this.vpcId = net.vpcId;
    this.kubeconfig = pulumi.secret(
      pulumi.all([cluster.name, cluster.endpoint, cluster.certificateAuthority]).apply(([n, endpoint, ca]) =>
        execKubeconfig(n, endpoint, ca.data, {
          command: 'aws',
          // the worker's own identity has no access entry: sign the token as the admin role
          // (https://awscli.amazonaws.com/v2/documentation/api/latest/reference/eks/get-token.html)
          args: ['eks', 'get-token', '--cluster-name', n, '--region', spec.target.region, '--role-arn', args.platformAdminRoleArn, '--output', 'json'],
          installHint: 'install the AWS CLI v2: https://docs.aws.amazon.com/cli/latest/userguide/getting-started-install.html',
        }),
      ),
    );
    this.registerOutputs({
      clusterName: this.clusterName,
      endpoint: this.endpoint,
      certificateAuthority: this.certificateAuthority,
      oidcIssuer: this.oidcIssuer,
      kubeconfig: this.kubeconfig,
    });
  }
}
