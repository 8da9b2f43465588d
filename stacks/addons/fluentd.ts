/**
 * Fluentd: a DaemonSet (fluent/fluentd chart) shipping container logs to the cloud's log service
 * with the identity it needs: CloudWatch Logs through an IRSA role limited to the cluster's log
 * group (EKS); Cloud Logging through a Google service account with roles/logging.logWriter (GKE);
 * an Azure Monitor Log Analytics workspace on AKS. The Log Analytics output plugin authenticates
 * with the workspace shared key (it has no workload-identity support), so on AKS the key is read
 * at deploy time and handed to the pods through a Kubernetes Secret, never through chart values.
 */
import * as aws from '@pulumi/aws';
import * as azure from '@pulumi/azure-native';
import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { pinnedChart } from '../../platform/addon-catalog.ts';
import type { AddonContext, AddonModule, ServiceAccountBinding } from './contract.ts';
import { pinnedRelease } from './helm.ts';
import { irsaRole } from '../eks/irsa.ts';
import { googleServiceAccount } from '../gke/workload-identity.ts';

export interface FluentdProps {
  logRetentionDays: number;
}

export const fluentdDefaults: FluentdProps = { logRetentionDays: 30 };

interface Sink {
  binding: ServiceAccountBinding;
  plugins: string[];
  output: pulumi.Input<string>;
  env: unknown[];
  before: pulumi.Resource[];
}

/** Fluentd of one cluster, with its log destination and identity. */
export class Fluentd extends pulumi.ComponentResource {
  constructor(name: string, ctx: AddonContext, props: FluentdProps, opts: pulumi.ComponentResourceOptions) {
    super('kaas:addons:Fluentd', name, {}, opts);
    const chart = pinnedChart('fluentd', ctx.cloud.cloud);
    const sa = { namespace: chart.namespace, serviceAccount: chart.serviceAccount };
    const sink = this.sink(name, ctx, props, sa);
    pinnedRelease(name, chart, {
      kind: 'DaemonSet',
      plugins: sink.plugins,
      serviceAccount: { create: true, name: chart.serviceAccount, annotations: sink.binding.annotations },
      podLabels: sink.binding.podLabels,
      env: sink.env,
      fileConfigs: { '04_outputs.conf': sink.output },
    }, { parent: this, provider: ctx.provider, dependsOn: sink.before });
    this.registerOutputs({});
  }

  private sink(name: string, ctx: AddonContext, props: FluentdProps, sa: { namespace: string; serviceAccount: string }): Sink {
    const child = { parent: this };
    const c = ctx.cloud;
    const id = ctx.identity.clusterId;
    if (c.cloud === 'aws') {
      const group = new aws.cloudwatch.LogGroup(`${name}-logs`, {
        name: `/kaas/${id}/containers`,
        retentionInDays: props.logRetentionDays,
        tags: c.tags,
      }, child);
      const { serviceAccount } = irsaRole(name, c, {
        ...sa,
        policy: {
          Version: '2012-10-17',
          Statement: [{
            Effect: 'Allow',
            Action: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
            Resource: [group.arn, pulumi.interpolate`${group.arn}:*`],
          }],
        },
      }, child);
      return {
        binding: serviceAccount,
        plugins: ['fluent-plugin-cloudwatch-logs'],
        output: pulumi.interpolate`<match **>\n  @type cloudwatch_logs\n  region ${c.region}\n  log_group_name ${group.name}\n  auto_create_stream true\n  use_tag_as_stream true\n</match>\n`,
        env: [],
        before: [],
      };
    }
    if (c.cloud === 'gcp') {
      const gsa = googleServiceAccount(name, c, {
        ...sa,
        accountId: `logs-${id}`,
        description: `Fluentd for kaas cluster ${id}`,
        projectRoles: ['roles/logging.logWriter'],
      }, child);
      return {
        binding: gsa.serviceAccount,
        plugins: ['fluent-plugin-google-cloud'],
        output: `<match **>\n  @type google_cloud\n  use_metadata_service true\n</match>\n`,
        env: [],
        before: [],
      };
    }
    const workspace = new azure.operationalinsights.Workspace(`${name}-logs`, {
      resourceGroupName: c.resourceGroupName,
      location: c.location,
      retentionInDays: props.logRetentionDays,
      sku: { name: 'PerGB2018' },
      tags: c.tags,
    }, child);
    const keys = azure.operationalinsights.getSharedKeysOutput(
      { resourceGroupName: c.resourceGroupName, workspaceName: workspace.name },
      child,
    );
    const k8sOpts = { parent: this, provider: ctx.provider };
    const ns = new k8s.core.v1.Namespace(`${name}-ns`, { metadata: { name: sa.namespace } }, k8sOpts);
    const secretName = 'fluentd-log-analytics';
    const secret = new k8s.core.v1.Secret(`${name}-workspace-key`, {
      metadata: { name: secretName, namespace: ns.metadata.name },
      stringData: { 'shared-key': pulumi.secret(keys.apply((k) => k.primarySharedKey ?? '')) },
    }, k8sOpts);
    return {
      binding: { annotations: {}, podLabels: {} },
      plugins: ['fluent-plugin-azure-loganalytics'],
      output: pulumi.interpolate`<match **>\n  @type azure-loganalytics\n  customer_id ${workspace.customerId}\n  shared_key "#{ENV['LOG_ANALYTICS_SHARED_KEY']}"\n  log_type KaasContainerLogs\n</match>\n`,
      env: [{ name: 'LOG_ANALYTICS_SHARED_KEY', valueFrom: { secretKeyRef: { name: secretName, key: 'shared-key' } } }],
      before: [secret],
    };
  }
}

export const fluentdAddon: AddonModule = {
  id: 'fluentd',
  // After the ingress controller: its Service webhook must be up before our Service is created.
  dependsOn: ['calico', 'ingress'],
  create: (ctx, opts) =>
    new Fluentd('fluentd', ctx, { ...fluentdDefaults, ...(ctx.spec.addons.fluentd?.values as Partial<FluentdProps>) }, opts),
};
