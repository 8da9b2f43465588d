/**
 * AWS Load Balancer Controller requirements, checked against the upstream sources:
 * - the IAM policy is the controller's own docs/install/iam_policy.json at the tag matching the
 *   pinned chart's appVersion (kubernetes-sigs/aws-load-balancer-controller
 *   docs/install/iam_policy.json@v2.14.0, git blob 761d0e733c41089c91ea009dd29faf71918085e5;
 *   aws/eks-charts stable/aws-load-balancer-controller/Chart.yaml@049a6f7: version 1.14.0,
 *   appVersion v2.14.0);
 * - the chart's MutatingWebhookConfiguration `mservice.elbv2.k8s.aws` matches every Service CREATE
 *   with `failurePolicy: Fail` (aws/eks-charts stable/aws-load-balancer-controller/
 *   templates/webhook.yaml and values.yaml@049a6f7: enableServiceMutatorWebhook: true), so every
 *   other addon's release must be installed after the controller is up.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { beforeEach, describe, expect, it } from 'vitest';
import { installMocks, json, runProgram } from './mock-harness.ts';
import { identity, standardSpec } from './fixtures.ts';
import { eksProgram } from '../../stacks/eks/index.ts';
import { pinnedChart } from '../../platform/addon-catalog.ts';
import { ADDON_MODULES, installAddons } from '../../stacks/addons/install.ts';
import type { AddonModule } from '../../stacks/addons/contract.ts';
import { ADDON_IDS, type AddonId } from '../../platform/cluster-spec.ts';

const mocks = installMocks();
const VENDORED = new URL('../../stacks/addons/aws-lbc-iam-policy.v2.14.0.json', import.meta.url);
/** Chart version → controller appVersion, from aws/eks-charts Chart.yaml. */
const CHART_APP_VERSION: Record<string, string> = { '1.14.0': 'v2.14.0' };

function gitBlobSha(bytes: Buffer): string {
  return createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex');
}

describe('AWS Load Balancer Controller: upstream IAM policy', () => {
  beforeEach(() => mocks.reset());

  it('vendors docs/install/iam_policy.json byte for byte, for the appVersion of the pinned chart', () => {
    const chart = pinnedChart('ingress', 'aws');
    expect(CHART_APP_VERSION[chart.version], `chart ${chart.version}: vendor the policy of its appVersion`).toBe('v2.14.0');
    expect(gitBlobSha(readFileSync(VENDORED))).toBe('761d0e733c41089c91ea009dd29faf71918085e5');
  });

  it('binds exactly the upstream statements to the controller role', async () => {
    await runProgram(eksProgram(standardSpec('aws'), identity, { platformAdminRoleArn: 'arn:aws:iam::123456789012:role/admin' }), mocks);
    const policy = json(mocks.one('aws:iam/policy:Policy', 'ingress-policy').inputs.policy);
    const upstream = JSON.parse(readFileSync(VENDORED, 'utf8'));
    expect(policy).toEqual(upstream);
    // The two requirements a review found missing (every Ingress failed on CreateListener):
    const listenerTags = policy.Statement.find((s: any) => (s.Resource as string[]).includes?.('arn:aws:elasticloadbalancing:*:*:listener/app/*/*/*'));
    expect(listenerTags.Action).toEqual(['elasticloadbalancing:AddTags', 'elasticloadbalancing:RemoveTags']);
    expect(listenerTags.Resource).toContain('arn:aws:elasticloadbalancing:*:*:listener-rule/app/*/*/*');
    const guarded = policy.Statement.filter((s: any) => s.Condition?.Null?.['aws:RequestTag/elbv2.k8s.aws/cluster'] === 'true');
    expect(guarded).toHaveLength(2);
  });

  it('renders the partition into every ARN (aws-cn / aws-us-gov policies differ only by partition)', async () => {
    const { awsLoadBalancerControllerPolicy } = await import('../../stacks/addons/aws-lbc-policy.ts');
    const text = JSON.stringify(awsLoadBalancerControllerPolicy('aws-cn'));
    expect(text).not.toMatch(/arn:aws:/);
    expect(text).toContain('arn:aws-cn:elasticloadbalancing:*:*:listener-rule/net/*/*/*');
  });
});

describe('AWS Load Balancer Controller: webhook ordering', () => {
  it('every addon that creates Services declares the controller as a dependency', () => {
    for (const id of ['external-dns', 'fluentd', 'prometheus'] as const) {
      expect(ADDON_MODULES[id].dependsOn, id).toContain('ingress');
    }
  });

  it('installs each Service-creating addon after the controller component (not in ADDON_IDS order)', () => {
    const seen: Array<{ id: AddonId; after: unknown[] }> = [];
    const component = (id: AddonId) => ({ id }) as never;
    const fake = Object.fromEntries(
      ADDON_IDS.map((id) => [id, {
        ...ADDON_MODULES[id],
        create: (_ctx, opts) => {
          seen.push({ id, after: [...((opts.dependsOn as unknown[]) ?? [])] });
          return component(id);
        },
      } satisfies AddonModule]),
    ) as unknown as Record<AddonId, AddonModule>;
    const spec = standardSpec('aws');
    installAddons({ spec, identity, cloud: { cloud: 'aws' } as never, provider: {} as never }, [], {} as never, fake);
    const order = seen.map((s) => s.id);
    for (const id of ['external-dns', 'fluentd', 'prometheus'] as const) {
      expect(order.indexOf(id), `${id} after ingress`).toBeGreaterThan(order.indexOf('ingress'));
      expect(seen.find((s) => s.id === id)!.after).toContainEqual({ id: 'ingress' });
    }
  });
});
