/**
 * Fluentd requirements, checked against the upstream sources:
 * - fluent/helm-charts charts/fluentd/values.yaml@fluentd-0.5.3: `03_dispatch.conf` ends in
 *   `@type relabel` / `@label @OUTPUT`, so an override of `04_outputs.conf` must define
 *   `<label @OUTPUT>` or fluentd refuses to start ("... label not found").
 * - charts/fluentd/templates/_pod.tpl@fluentd-0.5.3: a non-empty `plugins` list turns the
 *   container command into `fluent-gem install …` at every pod start (needs egress to rubygems.org).
 *   The image must ship the plugin instead: fluent/fluentd-kubernetes-daemonset
 *   docker-image/v1.19/debian-cloudwatch/Gemfile@849b9e1 ships fluent-plugin-cloudwatch-logs 0.15;
 *   README.md@849b9e1 lists the multi-arch tag v1.19.3-debian-cloudwatch-1.1.
 * - fluent-plugins-nursery/fluent-plugin-cloudwatch-logs lib/fluent/plugin/out_cloudwatch_logs.rb
 *   @v0.15.0: calls describe_log_groups (check_log_group_existence) before describe_log_streams,
 *   create_log_stream and put_log_events; its README lists logs:DescribeLogGroups as required.
 * - GoogleCloudPlatform/fluent-plugin-google-cloud fluent-plugin-google-cloud.gemspec@407e0ce
 *   pins `fluentd` to exactly 1.16.2 (older than the chart's 1.17.1 image) and no
 *   fluentd-kubernetes-daemonset variant ships it; GKE's own logging agent already ships
 *   container logs to Cloud Logging when loggingService is logging.googleapis.com/kubernetes.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { installMocks, json, runProgram } from './mock-harness.ts';
import { identity, standardSpec } from './fixtures.ts';
import { eksProgram } from '../../stacks/eks/index.ts';
import { gkeProgram } from '../../stacks/gke/index.ts';
import { addonDelivery } from '../../platform/addon-catalog.ts';

const mocks = installMocks();
const RELEASE = 'kubernetes:helm.sh/v3:Release';

function expectOutputLabel(conf: string) {
  expect(conf.trim()).toMatch(/^<label @OUTPUT>\n[\s\S]*<match \*\*>[\s\S]*<\/match>\n<\/label>$/);
}

describe('fluentd on EKS', () => {
  beforeEach(() => mocks.reset());

  it('defines <label @OUTPUT>, uses an image that ships the CloudWatch plugin, installs no gem', async () => {
    await runProgram(eksProgram(standardSpec('aws'), identity, { platformAdminRoleArn: 'arn:aws:iam::123456789012:role/admin' }), mocks);
    const values = mocks.one(RELEASE, 'fluentd').inputs.values;
    expectOutputLabel(values.fileConfigs['04_outputs.conf']);
    expect(values.fileConfigs['04_outputs.conf']).toContain('@type cloudwatch_logs');
    expect(values.plugins ?? []).toEqual([]);
    expect(values.image).toEqual({ repository: 'fluent/fluentd-kubernetes-daemonset', tag: 'v1.19.3-debian-cloudwatch-1.1', pullPolicy: 'IfNotPresent' });
  });

  it('lets the IRSA role make every call the plugin makes', async () => {
    await runProgram(eksProgram(standardSpec('aws'), identity, { platformAdminRoleArn: 'arn:aws:iam::123456789012:role/admin' }), mocks);
    const policy = json(mocks.one('aws:iam/policy:Policy', 'fluentd-policy').inputs.policy);
    const allowed = policy.Statement.flatMap((s: any) => [s.Action].flat());
    for (const action of ['logs:DescribeLogGroups', 'logs:DescribeLogStreams', 'logs:CreateLogStream', 'logs:PutLogEvents']) {
      expect(allowed, action).toContain(action);
    }
    // DescribeLogGroups is a list call: granted on the account/region's log groups, not one ARN.
    const describe = policy.Statement.find((s: any) => [s.Action].flat().includes('logs:DescribeLogGroups'));
    expect(describe.Resource).toBe('arn:aws:logs:eu-west-1:123456789012:log-group:*');
  });
});

describe('fluentd on GKE', () => {
  beforeEach(() => mocks.reset());

  it('installs no fluentd release with a gem-installed Cloud Logging plugin: GKE logging is built in', async () => {
    expect(addonDelivery('fluentd', 'gcp').kind).toBe('builtin');
    await runProgram(gkeProgram(standardSpec('gcp'), identity), mocks);
    expect(mocks.ofType(RELEASE).map((r) => r.name)).not.toContain('fluentd');
    for (const r of mocks.ofType(RELEASE)) expect(r.inputs.values.plugins ?? [], r.name).toEqual([]);
    const cluster = mocks.ofType('gcp:container/cluster:Cluster')[0]!.inputs;
    expect(cluster.loggingService).toBe('logging.googleapis.com/kubernetes');
  });
});

describe('fluentd on AKS', () => {
  beforeEach(() => mocks.reset());

  // The only fluentd output for Log Analytics (fluent-plugin-azure-loganalytics) speaks the HTTP
  // Data Collector API with the workspace shared key, past its end of support
  // (https://learn.microsoft.com/azure/azure-monitor/logs/custom-logs-migrate). AKS ships logs
  // with Container Insights instead: tests/stacks/aks-container-insights.requirements.test.ts.
  it('installs no fluentd release: AKS logging is Container Insights', async () => {
    expect(addonDelivery('fluentd', 'azure').kind).toBe('builtin');
    const { aksProgram } = await import('../../stacks/aks/index.ts');
    await runProgram(aksProgram(standardSpec('azure'), identity, { adminGroupObjectIds: ['group-admins'], dnsResourceGroup: 'dns-rg' }), mocks);
    expect(mocks.ofType(RELEASE).map((r) => r.name)).not.toContain('fluentd');
    for (const r of mocks.ofType(RELEASE)) expect(r.inputs.values.plugins ?? [], r.name).toEqual([]);
  });
});
