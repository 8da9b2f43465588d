/**
 * Calico network policy: on EKS the tigera-operator chart in policy-only mode on top of the
 * Amazon VPC CNI; on GKE (network policy enforcement) and AKS (network policy `calico`) it is
 * built into the cluster, which the cluster components switch on, so nothing is installed there.
 */
import * as pulumi from '@pulumi/pulumi';
import { pinnedChart } from '../../platform/addon-catalog.ts';
import type { AddonContext, AddonModule } from './contract.ts';
import { pinnedRelease } from './helm.ts';

export interface CalicoProps {
  /** Kubernetes provider setting of the Tigera Installation. */
  kubernetesProvider: 'EKS';
}

export const calicoDefaults: CalicoProps = { kubernetesProvider: 'EKS' };

/** Calico (tigera-operator) on one EKS cluster. */
export class Calico extends pulumi.ComponentResource {
  constructor(name: string, ctx: AddonContext, props: CalicoProps, opts: pulumi.ComponentResourceOptions) {
    super('kaas:addons:Calico', name, {}, opts);
    pinnedRelease(name, pinnedChart('calico', 'aws'), {
      installation: {
        kubernetesProvider: props.kubernetesProvider,
        // Keep the VPC CNI for pod networking; Calico enforces policy only.
        cni: { type: 'AmazonVPC' },
      },
    }, { parent: this, provider: ctx.provider });
    this.registerOutputs({});
  }
}

export const calicoAddon: AddonModule = {
  id: 'calico',
  dependsOn: [],
  create: (ctx, opts) => (ctx.cloud.cloud === 'aws' ? new Calico('calico', ctx, calicoDefaults, opts) : undefined),
};
