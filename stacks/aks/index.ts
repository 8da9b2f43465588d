/** The AKS program factory: spec + identity + options → a Pulumi inline program. */
import * as azure from '@pulumi/azure-native';
import * as k8s from '@pulumi/kubernetes';
import type * as pulumi from '@pulumi/pulumi';
import type { ClusterIdentity, ClusterSpec } from '../../platform/cluster-spec.ts';
import { DomainError } from '../../platform/errors.ts';
import { KUBELOGIN_MODES, type KubeloginMode } from '../../platform/target-settings.ts';
import { assertProgramTarget } from '../common/program-guard.ts';
import { standardTags } from '../common/tags.ts';
import { installAddons } from '../addons/install.ts';
import { AksCluster } from './cluster.ts';
import { assertDistinctPoolNames } from './agent-pool.ts';

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
  assertAksAccess(spec, options);
  assertDistinctPoolNames(spec.nodePools.map((p) => p.name));
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

/**
 * Refuses what AKS would turn into an open or unmanageable cluster, before any resource exists:
 * a public API server with no authorised ranges (AKS reads an empty `authorizedIPRanges` as "no
 * restriction", https://learn.microsoft.com/azure/aks/api-server-authorized-ip-ranges), no admin
 * group while local accounts are disabled, an unknown kubelogin mode.
 */
export function assertAksAccess(spec: ClusterSpec, options: AksProgramOptions): void {
  const net = spec.networking;
  if (!net.privateEndpoint && net.authorizedCidrs.length === 0) {
    throw new DomainError('VALIDATION', 'networking.authorizedCidrs is empty with a public API server: AKS would accept every address on the internet', {
      hint: 'list the CIDRs allowed to reach the API server in networking.authorizedCidrs, or set networking.privateEndpoint=true',
    });
  }
  if (!options.adminGroupObjectIds?.length) {
    throw new DomainError('PRECONDITION_FAILED', 'no adminGroupObjectIds for the AKS cluster: local accounts are disabled, so nobody could administer it', {
      hint: 'set the target setting azure.adminGroupObjectIds (kaas targets create … --aks-admin-group <object-id>)',
    });
  }
  if (options.kubeloginMode !== undefined && !(KUBELOGIN_MODES as readonly string[]).includes(options.kubeloginMode)) {
    throw new DomainError('VALIDATION', `kubeloginMode "${options.kubeloginMode}" is not a kubelogin login mode`, { hint: `use one of ${KUBELOGIN_MODES.join(', ')}` });
  }
}
