/** The AKS program factory: spec + identity + options → a Pulumi inline program. */
import { physicalPools } from '../../platform/pool-generation.ts';
import * as azure from '@pulumi/azure-native';
import * as k8s from '@pulumi/kubernetes';
import type * as pulumi from '@pulumi/pulumi';
import type { ClusterIdentity, ClusterSpec } from '../../platform/cluster-spec.ts';
import type { KubeloginMode } from '../../platform/target-settings.ts';
import { assertProgramTarget } from '../common/program-guard.ts';
import { standardTags } from '../common/tags.ts';
import { installAddons } from '../addons/install.ts';
import { AksCluster } from './cluster.ts';
import { assertSystemPoolSurge } from './agent-pool.ts';
import { assertAksAccess } from './access.ts';
import { assertDistinctPoolNames } from './pool-name.ts';

export interface AksProgramOptions {
  /** Entra ID group object ids granted cluster-admin through Azure RBAC. */
  adminGroupObjectIds?: string[];
  /** Resource group holding the target's Azure DNS zones; default `dns`. */
  dnsResourceGroup?: string;
  /** kubelogin login mode written into the kubeconfig; default `azurecli` (set it per target: `workloadidentity` or `msi` when the worker runs in Azure). */
  kubeloginMode?: KubeloginMode;
}

export interface AksOutputs {
  clusterName: pulumi.Output<string>;
  endpoint: pulumi.Output<string>;
  oidcIssuerUrl: pulumi.Output<string>;
  kubeconfig: pulumi.Output<string>;
}

/** Checks the spec against the catalog (throws before any resource) and returns the program. */
export function aksProgram(spec: ClusterSpec, identity: ClusterIdentity, options: AksProgramOptions = {}): () => Promise<AksOutputs> {
  assertProgramTarget(spec, 'azure', 'aksProgram');
  assertAksAccess(options);
  assertDistinctPoolNames(physicalPools(spec).map((p) => p.name));
  assertSystemPoolSurge(spec.nodePools);
  return async () => {
    const provider = new azure.Provider('azure', { subscriptionId: spec.target.account, location: spec.target.region });
    const cluster = new AksCluster(spec.name, {
      spec,
      identity,
      adminGroupObjectIds: options.adminGroupObjectIds ?? [],
      kubeloginMode: options.kubeloginMode ?? 'azurecli',
    }, { providers: [provider] });
    const client = azure.authorization.getClientConfigOutput({ parent: cluster });
    const k8sProvider = new k8s.Provider('k8s', { kubeconfig: cluster.kubeconfig }, { parent: cluster });
    installAddons({
      spec,
      identity,
      provider: k8sProvider,
      cloud: {
        cloud: 'azure',
        subscriptionId: spec.target.account,
        tenantId: client.tenantId,
        location: spec.target.region,
        resourceGroupName: cluster.resourceGroupName,
        clusterName: cluster.clusterName,
        oidcIssuerUrl: cluster.oidcIssuerUrl,
        dnsResourceGroup: options.dnsResourceGroup ?? 'dns',
        tags: standardTags(spec, identity),
      },
    }, cluster.nodePools, cluster);
    return {
      clusterName: cluster.clusterName,
      endpoint: cluster.endpoint,
      oidcIssuerUrl: cluster.oidcIssuerUrl,
      kubeconfig: cluster.kubeconfig,
    };
  };
}

