/**
 * Ingress: on EKS the AWS Load Balancer Controller (ALB for Ingress, NLB for Services) with its
 * IAM policy bound through IRSA. On GKE the built-in GCE ingress (HTTP load balancing addon,
 * switched on by the GKE cluster) and on AKS the built-in application routing (switched on by the
 * AKS cluster): nothing to install there, so `create` returns undefined for those clouds.
 */
import * as pulumi from '@pulumi/pulumi';
import { addonDelivery } from '../../platform/addon-catalog.ts';
import type { AddonContext, AddonModule, AwsAddonCloud } from './contract.ts';
import { pinnedRelease } from './helm.ts';
import { irsaRole } from '../eks/irsa.ts';
import { awsLoadBalancerControllerPolicy } from './aws-lbc-policy.ts';

export interface AwsLoadBalancerControllerProps {
  replicaCount: number;
}

export const awsLoadBalancerControllerDefaults: AwsLoadBalancerControllerProps = { replicaCount: 2 };

/** The AWS Load Balancer Controller of one EKS cluster. */
export class AwsLoadBalancerController extends pulumi.ComponentResource {
  constructor(name: string, ctx: AddonContext & { cloud: AwsAddonCloud }, props: AwsLoadBalancerControllerProps, opts: pulumi.ComponentResourceOptions) {
    super('kaas:addons:AwsLoadBalancerController', name, {}, opts);
    const delivery = addonDelivery('ingress', 'aws');
    if (delivery.kind !== 'helm') throw new Error('catalog: ingress on aws must be a chart');
    const chart = delivery.chart;
    const { serviceAccount } = irsaRole(name, ctx.cloud, {
      namespace: chart.namespace,
      serviceAccount: chart.serviceAccount,
      policy: awsLoadBalancerControllerPolicy(ctx.cloud.partition),
    }, { parent: this });
    pinnedRelease(name, chart, {
      clusterName: ctx.cloud.clusterName,
      region: ctx.cloud.region,
      vpcId: ctx.cloud.vpcId,
      replicaCount: props.replicaCount,
      serviceAccount: { create: true, name: chart.serviceAccount, annotations: serviceAccount.annotations },
      defaultTags: ctx.cloud.tags,
    }, { parent: this, provider: ctx.provider });
    this.registerOutputs({});
  }
}

export const ingressAddon: AddonModule = {
  id: 'ingress',
  dependsOn: ['calico'],
  create: (ctx, opts) => {
    const cloud = ctx.cloud;
    if (cloud.cloud !== 'aws') return undefined; // built in on GKE / AKS: enabled by the cluster itself
    const values = ctx.spec.addons.ingress?.values as Partial<AwsLoadBalancerControllerProps> | undefined;
    return new AwsLoadBalancerController('ingress', { ...ctx, cloud }, { ...awsLoadBalancerControllerDefaults, ...values }, opts);
  },
};
