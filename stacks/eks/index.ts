/** The EKS program factory: spec + identity + options → a Pulumi inline program. */
import * as aws from '@pulumi/aws';
import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import type { ClusterIdentity, ClusterSpec } from '../../platform/cluster-spec.ts';
import { DomainError } from '../../platform/errors.ts';
import { assertProgramTarget } from '../common/program-guard.ts';
import { standardTags } from '../common/tags.ts';
import { installAddons } from '../addons/install.ts';
import type { AwsAddonCloud } from '../addons/contract.ts';
import { EksCluster } from './cluster.ts';
import { EbsCsiDriver } from './ebs-csi.ts';

export interface EksProgramOptions {
  /**
   * IAM role ARN granted cluster-admin through an EKS access entry. Falls back to the stack
   * config `kaas:platformAdminRoleArn`; one of the two is required.
   */
  platformAdminRoleArn?: string;
  /** AWS partition (`aws`, `aws-cn`, `aws-us-gov`); default `aws`. */
  partition?: string;
  /** Availability zones used when the VPC is created; default 3. */
  availabilityZoneCount?: number;
  /** The cluster is hibernated: every node group at 0 (stacks/program-for.ts). */
  hibernated?: boolean;
}

/** What the EKS program exports. `kubeconfig` is a secret holding an exec-only kubeconfig. */
export interface EksOutputs {
  clusterName: pulumi.Output<string>;
  endpoint: pulumi.Output<string>;
  certificateAuthority: pulumi.Output<string>;
  oidcIssuer: pulumi.Output<string>;
  kubeconfig: pulumi.Output<string>;
}

/**
 * Checks the spec against the addon catalog (throws DomainError before any resource exists) and
 * returns the inline program creating the cluster, its node groups and its addons.
 */
export function eksProgram(spec: ClusterSpec, identity: ClusterIdentity, options: EksProgramOptions = {}): () => Promise<EksOutputs> {
  assertProgramTarget(spec, 'aws', 'eksProgram');
  return async () => {
    const adminRoleArn = options.platformAdminRoleArn ?? new pulumi.Config('kaas').get('platformAdminRoleArn');
    if (!adminRoleArn) {
      throw new DomainError('PRECONDITION_FAILED', 'no platform admin role for the EKS access entry', {
        hint: 'pass platformAdminRoleArn or set the stack config kaas:platformAdminRoleArn',
      });
    }
    const partition = options.partition ?? 'aws';
    const provider = new aws.Provider('aws', { region: spec.target.region as aws.Region, allowedAccountIds: [spec.target.account] });
    const cluster = new EksCluster(spec.name, {
      spec,
      identity,
      platformAdminRoleArn: adminRoleArn,
      partition,
      availabilityZoneCount: options.availabilityZoneCount ?? 3,
      hibernated: options.hibernated === true,
    }, { providers: [provider] });
    // an access entry grants nothing before its policy association exists
    const k8sProvider = new k8s.Provider('k8s', { kubeconfig: cluster.kubeconfig }, { parent: cluster, dependsOn: [cluster.adminAccess] });
    const addonCloud: AwsAddonCloud = {
      cloud: 'aws',
      region: spec.target.region,
      accountId: spec.target.account,
      partition,
      clusterName: cluster.clusterName,
      vpcId: cluster.vpcId,
      oidcProviderArn: cluster.oidcProviderArn,
      oidcIssuerHost: cluster.oidcIssuer.apply((u) => u.replace(/^https:\/\//, '')),
      tags: standardTags(spec, identity),
    };
    const storage = new EbsCsiDriver('ebs-csi', { cloud: addonCloud, provider: k8sProvider, nodeGroups: cluster.nodeGroups }, { parent: cluster });
    installAddons({ spec, identity, provider: k8sProvider, cloud: addonCloud, storageClassName: storage.storageClassName }, cluster.nodeGroups, cluster);
    return {
      clusterName: cluster.clusterName,
      endpoint: cluster.endpoint,
      certificateAuthority: cluster.certificateAuthority,
      oidcIssuer: cluster.oidcIssuer,
      kubeconfig: cluster.kubeconfig,
    };
  };
}
