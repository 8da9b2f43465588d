/**
 * AKS container logs through Azure Monitor Container Insights with managed-identity auth (no
 * workspace shared key), checked against Microsoft's own onboarding templates and docs:
 * - microsoft/Docker-Provider scripts/onboarding/aks/onboarding-msi-bicep/existingClusterOnboarding.bicep
 *   @b78055842aead6e9a6329fd83db20341e8eec35d (the template learn.microsoft.com links as
 *   aka.ms/enable-monitoring-msi-bicep-template): the `omsagent` addon profile with
 *   `logAnalyticsWorkspaceResourceID` and `useAADAuth: 'true'`; a DCR of kind `Linux` named
 *   `MSCI-<region>-<cluster>` (≤ 64 characters) whose one extension data source is
 *   `{ name: 'ContainerInsightsExtension', extensionName: 'ContainerInsights', streams,
 *   extensionSettings.dataCollectionSettings }`, one Log Analytics destination `ciworkspace` and
 *   one data flow of the same streams to `ciworkspace`; a DCR association named
 *   `ContainerInsightsExtension` on the managed cluster. onboarding-msi-terraform/main.tf at the
 *   same commit creates the cluster first, then the DCR, then the association targeting the
 *   cluster id (the order a program creating the cluster must follow).
 * - MicrosoftDocs/azure-monitor-docs articles/azure-monitor/containers/includes/data-collection-rule-streams.md
 *   @f76eb5f2887a8f87c65306b7491490c147f7fb72: `Microsoft-ContainerInsights-Group-Default` is the
 *   group stream of every Container insights table.
 * - kubernetes-monitoring-enable-arm.md (same repo): `enableContainerLogV2: true` sends
 *   stdout/stderr to ContainerLogV2; the legacy ContainerLog table is retired on 30 September 2026
 *   (container-insights-logs-schema, learn.microsoft.com/azure/azure-monitor/containers/container-insights-logs-schema).
 * - The HTTP Data Collector API (what fluent-plugin-azure-loganalytics calls with the shared key):
 *   "Support ended for the legacy Data Collector API September 14, 2026"
 *   (https://learn.microsoft.com/azure/azure-monitor/logs/custom-logs-migrate).
 * Run alone: Pulumi mocks are global per process.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { installMocks, runProgram } from './mock-harness.ts';
import { identity, standardSpec } from './fixtures.ts';
import { aksProgram } from '../../stacks/aks/index.ts';
import { addonDelivery } from '../../platform/addon-catalog.ts';

const mocks = installMocks();
const MC = 'azure-native:containerservice:ManagedCluster';
const WORKSPACE = 'azure-native:operationalinsights:Workspace';
const DCR = 'azure-native:monitor:DataCollectionRule';
const DCRA = 'azure-native:monitor:DataCollectionRuleAssociation';
const GROUP_DEFAULT = 'Microsoft-ContainerInsights-Group-Default';

async function run(spec = standardSpec('azure')) {
  return runProgram(aksProgram(spec, identity, { adminGroupObjectIds: ['group-admins'], dnsResourceGroup: 'dns-rg' }), mocks);
}

describe('AKS logs: Container Insights with managed-identity auth', () => {
  beforeEach(() => mocks.reset());

  // custom-logs-migrate: the Data Collector API is past its end of support; the shared key is what it authenticates with.
  it('registers no shared key, no Data Collector output and no fluentd release', async () => {
    expect(addonDelivery('fluentd', 'azure').kind).toBe('builtin');
    await run();
    expect(mocks.calls.map((c) => c.token)).not.toContain('azure-native:operationalinsights:getSharedKeys');
    expect(mocks.ofType('kubernetes:core/v1:Secret')).toHaveLength(0);
    expect(mocks.ofType('kubernetes:helm.sh/v3:Release').map((r) => r.name)).not.toContain('fluentd');
    const everything = JSON.stringify(mocks.resources.map((r) => r.inputs));
    expect(everything).not.toMatch(/shared.?key|azure-loganalytics|customer_id/i);
  });

  // existingClusterOnboarding.bicep@b780558: addonProfiles.omsagent { enabled, config { logAnalyticsWorkspaceResourceID, useAADAuth: 'true' } }
  it('enables the omsagent addon with useAADAuth pointing at the workspace', async () => {
    await run();
    const workspace = mocks.one(WORKSPACE, 'container-insights-logs');
    const mc = mocks.one(MC, 'kaas-c0ffee42').inputs;
    expect(mc.addonProfiles.omsagent).toEqual({
      enabled: true,
      config: { logAnalyticsWorkspaceResourceID: `${workspace.name}-id`, useAADAuth: 'true' },
    });
    // fluentd's logRetentionDays (14 in the fixture) is the workspace retention on AKS
    expect(workspace.inputs.retentionInDays).toBe(14);
    expect(workspace.inputs.resourceGroupName).toBe('kaas-c0ffee42');
  });

  // existingClusterOnboarding.bicep@b780558: the DCR's extension, destination and data flow;
  // data-collection-rule-streams.md@f76eb5f: the group stream.
  it('creates the ContainerInsights DCR with the extension streams flowing to the workspace', async () => {
    await run();
    const dcr = mocks.ofType(DCR);
    expect(dcr).toHaveLength(1);
    const rule = dcr[0]!.inputs;
    expect(rule.kind).toBe('Linux');
    expect(rule.location).toBe('westeurope');
    expect(rule.resourceGroupName).toBe('kaas-c0ffee42');
    expect(rule.dataCollectionRuleName).toBe('MSCI-westeurope-kaas-c0ffee42');
    expect(rule.dataSources.extensions).toEqual([{
      name: 'ContainerInsightsExtension',
      extensionName: 'ContainerInsights',
      streams: [GROUP_DEFAULT],
      extensionSettings: { dataCollectionSettings: { interval: '1m', namespaceFilteringMode: 'Off', enableContainerLogV2: true } },
    }]);
    expect(rule.destinations).toEqual({ logAnalytics: [{ name: 'ciworkspace', workspaceResourceId: 'container-insights-logs-id' }] });
    expect(rule.dataFlows).toEqual([{ streams: [GROUP_DEFAULT], destinations: ['ciworkspace'] }]);
    expect(rule.tags).toMatchObject({ 'kaas-cluster-id': 'c0ffee42', 'managed-by': 'kaas' });
  });

  // bicep: association 'ContainerInsightsExtension' on managedClusters/<name>; terraform: target_resource_id = cluster id
  it('associates the DCR with the managed cluster, after the cluster exists', async () => {
    await run();
    const dcra = mocks.ofType(DCRA);
    expect(dcra).toHaveLength(1);
    const dcr = mocks.ofType(DCR)[0]!;
    expect(dcra[0]!.inputs).toMatchObject({
      associationName: 'ContainerInsightsExtension',
      resourceUri: 'kaas-c0ffee42-id',
      dataCollectionRuleId: `${dcr.name}-id`,
    });
    const order = mocks.log.filter((l) => l.startsWith('register:'));
    expect(order.indexOf(`register:${MC}/kaas-c0ffee42`)).toBeLessThan(order.indexOf(`register:${DCRA}/${dcra[0]!.name}`));
  });

  it('keeps the DCR name within 64 characters for a long region and cluster name', async () => {
    const spec = standardSpec('azure');
    spec.target.region = 'southafricanorthwestsovereignextended';
    await runProgram(aksProgram(spec, { clusterId: 'c0ffee42c0ffee42c0ffee42c0ffee42' }, { adminGroupObjectIds: ['g'] }), mocks);
    const name: string = mocks.ofType(DCR)[0]!.inputs.dataCollectionRuleName;
    expect(name.length).toBeLessThanOrEqual(64);
    expect(name.startsWith('MSCI-southafrica')).toBe(true);
  });

  it('with fluentd disabled: no workspace, no monitoring addon, no DCR', async () => {
    const spec = standardSpec('azure');
    spec.addons.fluentd = { enabled: false, values: {} };
    await run(spec);
    expect(mocks.ofType(WORKSPACE)).toHaveLength(0);
    expect(mocks.ofType(DCR)).toHaveLength(0);
    expect(mocks.ofType(DCRA)).toHaveLength(0);
    expect(mocks.one(MC, 'kaas-c0ffee42').inputs.addonProfiles?.omsagent).toBeUndefined();
  });
});
