/**
 * AKS container logs: Azure Monitor Container Insights with managed-identity auth, the cloud's own
 * agent (as GKE's logging agent is on GKE), so no fluentd and no workspace shared key. Shaped after
 * Microsoft's onboarding template microsoft/Docker-Provider
 * scripts/onboarding/aks/onboarding-msi-bicep/existingClusterOnboarding.bicep@b780558 and, for the
 * creation order (cluster → DCR → association), onboarding-msi-terraform/main.tf at that commit.
 */
import * as azure from '@pulumi/azure-native';
import type * as pulumi from '@pulumi/pulumi';
import type { ClusterSpec } from '../../platform/cluster-spec.ts';
import { fluentdDefaults, type FluentdProps } from '../addons/fluentd.ts';

/**
 * The Container insights group stream: every Container insights table
 * (MicrosoftDocs/azure-monitor-docs articles/azure-monitor/containers/includes/data-collection-rule-streams.md@f76eb5f).
 */
export const CONTAINER_INSIGHTS_STREAMS = ['Microsoft-ContainerInsights-Group-Default'] as const;

/** The name the onboarding templates give the DCR's Log Analytics destination. */
const DESTINATION = 'ciworkspace';

/** Whether the spec asks for container logs (the `fluentd` addon; on AKS its delivery is Container Insights). */
export function wantsContainerInsights(spec: ClusterSpec): boolean {
  return spec.addons.fluentd?.enabled === true;
}

/** `MSCI-<region>-<cluster>`, cut to the 64 characters a DCR name may have (the template's rule). */
export function containerInsightsDcrName(region: string, clusterName: string): string {
  return `MSCI-${region.replace(/ /g, '')}-${clusterName}`.slice(0, 64);
}

/** The Log Analytics workspace the logs land in; retention from `addons.fluentd.values.logRetentionDays`. */
export function containerInsightsWorkspace(
  spec: ClusterSpec,
  resourceGroupName: pulumi.Input<string>,
  tags: Record<string, string>,
  opts: pulumi.CustomResourceOptions,
): azure.operationalinsights.Workspace {
  const props: FluentdProps = { ...fluentdDefaults, ...(spec.addons.fluentd?.values as Partial<FluentdProps>) };
  return new azure.operationalinsights.Workspace('container-insights-logs', {
    resourceGroupName,
    location: spec.target.region,
    retentionInDays: props.logRetentionDays,
    sku: { name: 'PerGB2018' },
    tags,
  }, opts);
}

/** The `omsagent` addon profile: the monitoring add-on authenticating with its managed identity. */
export function omsagentAddonProfile(workspaceId: pulumi.Input<string>) {
  return { enabled: true, config: { logAnalyticsWorkspaceResourceID: workspaceId, useAADAuth: 'true' } };
}

/**
 * The data collection rule telling the cluster's agent what to collect and where to send it, and
 * its association with the managed cluster (created after the cluster, whose id it targets).
 */
export function containerInsightsRule(
  args: {
    region: string;
    clusterName: string;
    resourceGroupName: pulumi.Input<string>;
    clusterId: pulumi.Input<string>;
    workspaceId: pulumi.Input<string>;
    tags: Record<string, string>;
  },
  opts: pulumi.CustomResourceOptions,
): { rule: azure.monitor.DataCollectionRule; association: azure.monitor.DataCollectionRuleAssociation } {
  const streams = [...CONTAINER_INSIGHTS_STREAMS];
  const rule = new azure.monitor.DataCollectionRule('container-insights-dcr', {
    dataCollectionRuleName: containerInsightsDcrName(args.region, args.clusterName),
    resourceGroupName: args.resourceGroupName,
    location: args.region,
    kind: 'Linux',
    description: 'Container insights data collection of the kaas cluster',
    dataSources: {
      extensions: [{
        name: 'ContainerInsightsExtension',
        extensionName: 'ContainerInsights',
        streams,
        // ContainerLogV2: the ContainerLog table is retired (30 September 2026).
        extensionSettings: { dataCollectionSettings: { interval: '1m', namespaceFilteringMode: 'Off', enableContainerLogV2: true } },
      }],
    },
    destinations: { logAnalytics: [{ name: DESTINATION, workspaceResourceId: args.workspaceId }] },
    dataFlows: [{ streams, destinations: [DESTINATION] }],
    tags: args.tags,
  }, opts);
  const association = new azure.monitor.DataCollectionRuleAssociation('container-insights-dcra', {
    associationName: 'ContainerInsightsExtension',
    resourceUri: args.clusterId,
    dataCollectionRuleId: rule.id,
    description: 'Association of the Container insights data collection rule. Deleting it stops log collection for this AKS cluster.',
  }, opts);
  return { rule, association };
}
