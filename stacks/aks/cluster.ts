/**
 * `kaas:aks:Cluster` — an AKS cluster from a ClusterSpec: resource group; managed cluster with
 * OIDC issuer and workload identity, network policy `calico`, API server authorised IP ranges or
 * a private API server, local accounts disabled with Entra ID RBAC, application routing for
 * ingress; the system pool and one user pool per remaining spec pool; with the `fluentd` addon on,
 * Container Insights (monitoring add-on with managed-identity auth, its workspace, DCR and
 * association); tags everywhere.
 */
import * as azure from '@pulumi/azure-native';
import * as pulumi from '@pulumi/pulumi';
import { parse } from 'yaml';
import { physicalPools } from '../../platform/pool-generation.ts';
import type { ClusterIdentity, ClusterSpec } from '../../platform/cluster-spec.ts';
import { standardTags } from '../common/tags.ts';
import { execKubeconfig } from '../common/kubeconfig.ts';
import type { KubeloginMode } from '../../platform/target-settings.ts';
import { agentPoolFields, aksPoolName, systemPoolOf, userAgentPool, type AgentPoolCommon } from './agent-pool.ts';
import { containerInsightsRule, containerInsightsWorkspace, omsagentAddonProfile, wantsContainerInsights } from './container-insights.ts';

/** The Entra ID application AKS clusters accept tokens for (fixed, documented by Microsoft). */
export const AKS_AAD_SERVER_APP_ID = '6dae42f8-4368-4678-94ff-3960e28e3630';

export interface AksClusterArgs {
  spec: ClusterSpec;
  identity: ClusterIdentity;
  /** Entra ID groups granted cluster-admin. */
  adminGroupObjectIds: string[];
  /** kubelogin login mode of the kubeconfig (`azurecli`, `workloadidentity`, `msi`, …). */
  kubeloginMode: KubeloginMode;
}

export class AksCluster extends pulumi.ComponentResource {
  readonly resourceGroupName: pulumi.Output<string>;
  readonly clusterName: pulumi.Output<string>;
  readonly endpoint: pulumi.Output<string>;
  readonly oidcIssuerUrl: pulumi.Output<string>;
  readonly nodePools: pulumi.Resource[];
  /** Exec-only kubeconfig (kubelogin), as a secret. */
  readonly kubeconfig: pulumi.Output<string>;

  constructor(name: string, args: AksClusterArgs, opts: pulumi.ComponentResourceOptions = {}) {
    super('kaas:aks:Cluster', name, {}, opts);
    const { spec, identity } = args;
    const tags = standardTags(spec, identity);
    const child = { parent: this };
    const clusterName = `kaas-${identity.clusterId}`;
    const net = spec.networking;
    const common: AgentPoolCommon = {
      clusterVersion: spec.kubernetesVersion,
      publicNodeIps: net.publicNodeIps,
      // `create`: AKS creates and owns the VNet in its node resource group (Azure CNI overlay).
      vnetSubnetId: net.vpc.mode === 'existing' ? net.vpc.subnetIds[0] : undefined,
      tags,
    };
    const group = new azure.resources.ResourceGroup(clusterName, { resourceGroupName: clusterName, location: spec.target.region, tags }, child);
    const system = systemPoolOf(spec.nodePools);
    const workspace = wantsContainerInsights(spec) ? containerInsightsWorkspace(spec, group.name, tags, child) : undefined;
    const cluster = new azure.containerservice.ManagedCluster(clusterName, {
      resourceGroupName: group.name,
      resourceName: clusterName,
      location: spec.target.region,
      dnsPrefix: clusterName,
      // MAJOR.MINOR.PATCH when a patch campaign pinned one (platform/kubernetes-patch.ts): AKS
      // accepts both forms, and only a full patch version moves an existing cluster's patch
      // (@pulumi/azure-native@3.28.0 ManagedCluster.kubernetesVersion; https://learn.microsoft.com/azure/aks/upgrade-aks-cluster)
      kubernetesVersion: spec.kubernetesPatch ?? spec.kubernetesVersion,
      identity: { type: 'SystemAssigned' },
      sku: { name: 'Base', tier: 'Standard' },
      oidcIssuerProfile: { enabled: true },
      securityProfile: { workloadIdentity: { enabled: true } },
      networkProfile: {
        networkPlugin: 'azure',
        networkPluginMode: 'overlay',
        networkPolicy: 'calico',
        loadBalancerSku: 'standard',
      },
      apiServerAccessProfile: net.privateEndpoint
        ? { enablePrivateCluster: true }
        : // never empty here: apiServerAccessIssues (platform/cloud-spec-rules.ts) refuses a public server without ranges (empty = open)
          { enablePrivateCluster: false, authorizedIPRanges: net.authorizedCidrs },
      enableRBAC: true,
      disableLocalAccounts: true,
      aadProfile: { managed: true, enableAzureRBAC: true, adminGroupObjectIDs: args.adminGroupObjectIds },
      ingressProfile: { webAppRouting: { enabled: spec.addons.ingress?.enabled === true } },
      ...(workspace ? { addonProfiles: { omsagent: omsagentAddonProfile(workspace.id) } } : {}),
      autoUpgradeProfile: { upgradeChannel: 'none' },
      agentPoolProfiles: [{ name: aksPoolName(system.name), ...agentPoolFields(system, 'System', common) }],
      tags,
    }, child);

    if (workspace) {
      containerInsightsRule({
        region: spec.target.region,
        clusterName,
        resourceGroupName: group.name,
        clusterId: cluster.id,
        workspaceId: workspace.id,
        tags,
      }, child);
    }

    this.nodePools = [
      cluster,
      ...physicalPools(spec)
        .filter((p) => p.logicalName !== system.name)
        .map((pool) => userAgentPool(pool, { resourceGroupName: group.name, resourceName: cluster.name }, common, child)),
    ];

    // User (never admin) credentials: with local accounts disabled they hold no secret, only
    // the server and CA, which we re-emit under our own kubelogin exec user.
    const creds = azure.containerservice.listManagedClusterUserCredentialsOutput(
      { resourceGroupName: group.name, resourceName: cluster.name, format: 'exec' },
      child,
    );
    this.kubeconfig = pulumi.secret(
      pulumi.all([cluster.name, creds]).apply(([n, c]) => {
        const doc = parse(Buffer.from(c.kubeconfigs[0]?.value ?? '', 'base64').toString('utf8'));
        const server: string = doc?.clusters?.[0]?.cluster?.server ?? '';
        const ca: string = doc?.clusters?.[0]?.cluster?.['certificate-authority-data'] ?? '';
        return execKubeconfig(n, server, ca, {
          command: 'kubelogin',
          args: ['get-token', '--login', args.kubeloginMode, '--server-id', AKS_AAD_SERVER_APP_ID],
          installHint: 'install kubelogin: https://azure.github.io/kubelogin/install.html',
        });
      }),
    );
    this.resourceGroupName = group.name;
    this.clusterName = cluster.name;
    this.endpoint = net.privateEndpoint ? cluster.privateFQDN : cluster.fqdn;
    this.oidcIssuerUrl = cluster.oidcIssuerProfile.apply((p) => p?.issuerURL ?? '');
    this.registerOutputs({ clusterName: this.clusterName, endpoint: this.endpoint, oidcIssuerUrl: this.oidcIssuerUrl, kubeconfig: this.kubeconfig });
  }
}
