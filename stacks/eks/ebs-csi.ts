/**
 * Block storage for EKS: the Amazon EBS CSI driver as an EKS add-on, its controller bound through
 * IRSA to the AWS managed policy AmazonEBSCSIDriverPolicyV2, and an encrypted gp3 StorageClass
 * made the cluster default. EKS ships no default StorageClass from Kubernetes 1.30 on and no
 * in-tree EBS provisioner, so without this every PVC (Prometheus) stays Pending.
 * Sources: https://docs.aws.amazon.com/eks/latest/userguide/ebs-csi.html;
 * kubernetes-sigs/aws-ebs-csi-driver docs/install.md and docs/parameters.md@429e202.
 */
import * as aws from '@pulumi/aws';
import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import type { AwsAddonCloud } from '../addons/contract.ts';
import { irsaTrustPolicy } from './irsa.ts';

/** Namespace / service account of the driver's controller (fixed by the EKS add-on). */
export const EBS_CSI_CONTROLLER_SA = { namespace: 'kube-system', serviceAccount: 'ebs-csi-controller-sa' } as const;
/** Name of the default StorageClass. */
export const DEFAULT_STORAGE_CLASS = 'gp3-encrypted';

export interface EbsCsiDriverArgs {
  cloud: AwsAddonCloud;
  provider: k8s.Provider;
  /** The driver's pods need nodes before the add-on turns ACTIVE. */
  nodeGroups: pulumi.Resource[];
}

/** The EBS CSI driver add-on and the default encrypted gp3 StorageClass of one EKS cluster. */
export class EbsCsiDriver extends pulumi.ComponentResource {
  /** Name of the default StorageClass, resolved once the class exists (use it to depend on it). */
  readonly storageClassName: pulumi.Output<string>;

  constructor(name: string, args: EbsCsiDriverArgs, opts: pulumi.ComponentResourceOptions = {}) {
    super('kaas:eks:EbsCsiDriver', name, {}, opts);
    const c = args.cloud;
    const child = { parent: this };
    const role = new aws.iam.Role(`${name}-irsa`, {
      assumeRolePolicy: pulumi
        .all([c.oidcProviderArn, c.oidcIssuerHost])
        .apply(([arn, host]) => irsaTrustPolicy(arn, host, EBS_CSI_CONTROLLER_SA.namespace, EBS_CSI_CONTROLLER_SA.serviceAccount)),
      tags: c.tags,
    }, child);
    const attachment = new aws.iam.RolePolicyAttachment(`${name}-policy`, {
      role: role.name,
      policyArn: `arn:${c.partition}:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicyV2`,
    }, child);
    const addon = new aws.eks.Addon(name, {
      clusterName: c.clusterName,
      addonName: 'aws-ebs-csi-driver',
      serviceAccountRoleArn: role.arn,
      resolveConflictsOnCreate: 'OVERWRITE',
      // volumes the driver creates for PVCs carry the cluster's tags, so the leak check finds a
      // volume left behind (chart value controller.extraVolumeTags → --extra-tags:
      // kubernetes-sigs/aws-ebs-csi-driver charts/aws-ebs-csi-driver/templates/_helpers.tpl)
      configurationValues: JSON.stringify({ controller: { extraVolumeTags: c.tags } }),
      tags: c.tags,
    }, { parent: this, dependsOn: [...args.nodeGroups, attachment] });
    const storageClass = new k8s.storage.v1.StorageClass(`${name}-gp3`, {
      metadata: {
        name: DEFAULT_STORAGE_CLASS,
        annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' },
      },
      provisioner: 'ebs.csi.aws.com',
      // Without kmsKeyId the region's aws/ebs key encrypts the volume (docs/parameters.md).
      parameters: { type: 'gp3', encrypted: 'true' },
      volumeBindingMode: 'WaitForFirstConsumer',
      allowVolumeExpansion: true,
      reclaimPolicy: 'Delete',
    }, { parent: this, provider: args.provider, dependsOn: [addon] });
    this.storageClassName = storageClass.metadata.name;
    this.registerOutputs({ storageClassName: this.storageClassName });
  }
}
