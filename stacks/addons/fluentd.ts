/**
 * Fluentd: a DaemonSet (fluent/fluentd chart) shipping container logs to CloudWatch Logs through
 * an IRSA role limited to the cluster's log group (EKS). On GKE the cluster's built-in logging
 * agent ships container logs to Cloud Logging, and on AKS Azure Monitor Container Insights does
 * (stacks/aks/container-insights.ts), so nothing is installed there (see the catalog).
 *
 * The chart's `03_dispatch.conf` relabels every event to `@OUTPUT`, so our `04_outputs.conf`
 * override must define `<label @OUTPUT>` (fluent/helm-charts charts/fluentd/values.yaml
 * @fluentd-0.5.3). Plugins come with the image where an upstream image ships them: a `plugins`
 * list makes every pod `fluent-gem install` at start (charts/fluentd/templates/_pod.tpl).
 */
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { addonDelivery, pinnedChart } from '../../platform/addon-catalog.ts';
import type { AddonContext, AddonModule, ServiceAccountBinding } from './contract.ts';
import { pinnedRelease } from './helm.ts';
import { irsaRole } from '../eks/irsa.ts';

export interface FluentdProps {
  logRetentionDays: number;
}

export const fluentdDefaults: FluentdProps = { logRetentionDays: 30 };

/**
 * fluent/fluentd-kubernetes-daemonset image with fluent-plugin-cloudwatch-logs 0.15 built in
 * (docker-image/v1.19/debian-cloudwatch/Gemfile, multi-arch tag listed in README.md @849b9e1).
 */
export const FLUENTD_CLOUDWATCH_IMAGE = { repository: 'fluent/fluentd-kubernetes-daemonset', tag: 'v1.19.3-debian-cloudwatch-1.1', pullPolicy: 'IfNotPresent' } as const;

/** Wraps `<match>` blocks in the `@OUTPUT` label the chart's dispatch config relabels to. */
export function outputLabel(matches: string): string {
  return `<label @OUTPUT>\n${matches.trimEnd()}\n</label>\n`;
}

interface Sink {
  binding: ServiceAccountBinding;
  /** Image that ships the output plugin; undefined keeps the chart's image. */
  image?: typeof FLUENTD_CLOUDWATCH_IMAGE;
  /** Gems installed at pod start (only where no upstream image ships the plugin). */
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
      ...(sink.image ? { image: sink.image } : {}),
      ...(sink.plugins.length > 0 ? { plugins: sink.plugins } : {}),
      serviceAccount: { create: true, name: chart.serviceAccount, annotations: sink.binding.annotations },
      podLabels: sink.binding.podLabels,
      env: sink.env,
      fileConfigs: { '04_outputs.conf': pulumi.output(sink.output).apply(outputLabel) },
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
          // The calls of fluent-plugin-cloudwatch-logs out_cloudwatch_logs.rb@v0.15.0: it looks the
          // group up with DescribeLogGroups (a list call, so granted on the account's log groups
          // in the region), then DescribeLogStreams / CreateLogStream / PutLogEvents in it. The
          // group exists (created here), so CreateLogGroup / PutRetentionPolicy are not granted.
          Statement: [
            {
              Effect: 'Allow',
              Action: 'logs:DescribeLogGroups',
              Resource: `arn:${c.partition}:logs:${c.region}:${c.accountId}:log-group:*`,
            },
            {
              Effect: 'Allow',
              Action: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
              Resource: [group.arn, pulumi.interpolate`${group.arn}:*`],
            },
          ],
        },
      }, child);
      return {
        binding: serviceAccount,
        image: FLUENTD_CLOUDWATCH_IMAGE,
        plugins: [],
        output: pulumi.interpolate`<match **>\n  @type cloudwatch_logs\n  region ${c.region}\n  log_group_name ${group.name}\n  auto_create_stream true\n  use_tag_as_stream true\n</match>\n`,
        env: [],
        before: [],
      };
    }
    // GKE and AKS ship container logs with the cloud's own agent (catalog: builtin).
    throw new Error(`fluentd on ${c.cloud} is built into the cloud (catalog); no release is installed`);
  }
}

export const fluentdAddon: AddonModule = {
  id: 'fluentd',
  // After the ingress controller: its Service webhook must be up before our Service is created.
  dependsOn: ['calico', 'ingress'],
  create: (ctx, opts) =>
    addonDelivery('fluentd', ctx.cloud.cloud).kind === 'builtin'
      ? undefined
      : new Fluentd('fluentd', ctx, { ...fluentdDefaults, ...(ctx.spec.addons.fluentd?.values as Partial<FluentdProps>) }, opts),
};
