/** The estimate: nodes × 730 h, control-plane fee by support phase, one LB for ingress, unpriced lines named. */
import { describe, expect, it } from 'vitest';
import type { ClusterSpec, NodePoolSpec } from './cluster-spec.ts';
import { costChangeSummary, costSummary, estimateMonthlyCost, HOURS_PER_MONTH } from './cost-estimate.ts';
import type { PriceList } from './price-list.ts';

// figures as in pricing/aws/us-east-1.yaml (EC2 on-demand offer file; EKS pricing page:
// $0.10/h standard, $0.60/h extended support; ELB pricing page: ALB $0.0225/h)
const awsUsEast1: PriceList = {
  version: 1,
  cloud: 'aws',
  region: 'us-east-1',
  currency: 'USD',
  date: '2026-11-15',
  source: 'https://pricing.us-east-1.amazonaws.com/offers/v1.0/aws/AmazonEC2/current/us-east-1/index.json',
  machineTypes: Object.assign(Object.create(null), { 'm6i.large': 0.096, 'm6i.xlarge': 0.192 }),
  controlPlane: { standard: 0.1, extended: 0.6, source: 'https://aws.amazon.com/eks/pricing/' },
  loadBalancer: { kind: 'Application Load Balancer', hourly: 0.0225, source: 'https://aws.amazon.com/elasticloadbalancing/pricing/' },
};

const pool = (name: string, machineType: string, desiredSize: number): NodePoolSpec => ({ name, machineType, minSize: 0, maxSize: 100, desiredSize, labels: {}, taints: [] });

function spec(pools: NodePoolSpec[], opts: { ingress?: boolean; region?: string; version?: string } = {}): ClusterSpec {
  return {
    name: 'web',
    team: 'payments',
    target: { name: 't', cloud: 'aws', region: opts.region ?? 'us-east-1', account: '1', dnsZones: [] },
    kubernetesVersion: opts.version ?? '1.35',
    nodePools: pools,
    addons: opts.ingress ? { ingress: { enabled: true, values: {} } } : {},
    networking: { authorizedCidrs: [], privateEndpoint: true, publicNodeIps: false, vpc: { mode: 'create', cidr: '10.0.0.0/16' } },
    tags: {},
    deletionProtection: false,
  };
}

describe('estimateMonthlyCost', () => {
  it.each([
    // [case, pools, ingress, support, expected monthly]
    ['one m6i.large node, standard support', [pool('general', 'm6i.large', 1)], false, 'standard', 0.096 * 730 + 0.1 * 730], // 70.08 + 73.00
    ['3 × m6i.xlarge + 2 × m6i.large, ingress', [pool('general', 'm6i.xlarge', 3), pool('system', 'm6i.large', 2)], true, 'standard', (3 * 0.192 + 2 * 0.096 + 0.1 + 0.0225) * 730],
    ['extended support costs $0.60/h', [pool('general', 'm6i.large', 2)], false, 'extended', (2 * 0.096 + 0.6) * 730],
    ['a pool scaled to zero costs nothing', [pool('general', 'm6i.large', 1), pool('batch', 'm6i.xlarge', 0)], false, 'standard', (0.096 + 0.1) * 730],
  ] as const)('%s', (_case, pools, ingress, support, expected) => {
    const e = estimateMonthlyCost(spec([...pools], { ingress }), awsUsEast1, support);
    // each line is rounded to cents, so the total may differ from the exact product by a cent
    expect(Math.abs(e.monthly - expected)).toBeLessThanOrEqual(0.02);
    expect(e.complete).toBe(true);
    expect(e.unpriced).toEqual([]);
    expect(e.prices).toMatchObject({ cloud: 'aws', region: 'us-east-1', date: '2026-11-15' });
  });

  it('gives line items: nodes per pool × 730 h, the control plane, the ingress load balancer', () => {
    const e = estimateMonthlyCost(spec([pool('general', 'm6i.xlarge', 3)], { ingress: true }), awsUsEast1, 'standard');
    expect(e.lines).toEqual([
      expect.objectContaining({ kind: 'nodes', item: 'nodePools.general: 3 × m6i.xlarge', quantity: 3, hourly: 0.192, monthly: 420.48 }),
      expect.objectContaining({ kind: 'control-plane', hourly: 0.1, monthly: 73 }),
      expect.objectContaining({ kind: 'load-balancer', hourly: 0.0225, monthly: 16.43 }),
    ]);
    expect(HOURS_PER_MONTH).toBe(730);
  });

  it('reports a machine type missing from the price list as unpriced, not as $0', () => {
    const e = estimateMonthlyCost(spec([pool('general', 'm6i.large', 1), pool('gpu', 'p5.48xlarge', 2)]), awsUsEast1, 'standard');
    expect(e.complete).toBe(false);
    expect(e.unpriced).toEqual(['machine type p5.48xlarge in aws us-east-1']);
    expect(e.lines.find((l) => l.item.includes('p5.48xlarge'))).toMatchObject({ hourly: null, monthly: null });
    expect(e.monthly).toBeCloseTo((0.096 + 0.1) * 730, 2);
    expect(costSummary(e)).toMatch(/or more .*NOT PRICED: machine type p5\.48xlarge in aws us-east-1/);
  });

  it('does not take an inherited property for a machine type price', () => {
    const e = estimateMonthlyCost(spec([pool('general', 'constructor', 1)]), { ...awsUsEast1, machineTypes: { 'm6i.large': 0.096 } }, 'standard');
    expect(e.unpriced).toEqual(['machine type constructor in aws us-east-1']);
  });

  it('reports a region without a price list, pricing nothing', () => {
    const e = estimateMonthlyCost(spec([pool('general', 'm6i.large', 1)], { region: 'ap-south-2', ingress: true }), undefined, 'standard');
    expect(e.complete).toBe(false);
    expect(e.prices).toBeNull();
    expect(e.unpriced[0]).toBe('no price list for aws ap-south-2 (add pricing/aws/ap-south-2.yaml)');
    expect(e.lines.every((l) => l.monthly === null)).toBe(true);
  });
});

describe('costSummary', () => {
  it('names the total, the region and the date and source of the prices', () => {
    const e = estimateMonthlyCost(spec([pool('general', 'm6i.xlarge', 3)], { ingress: true }), awsUsEast1, 'standard');
    expect(costSummary(e)).toBe(`estimated cost: $509.91/month (aws us-east-1 prices of 2026-11-15 from ${awsUsEast1.source})`);
  });

  it('shows before → after with the difference', () => {
    const before = estimateMonthlyCost(spec([pool('general', 'm6i.large', 1)]), awsUsEast1, 'standard');
    const after = estimateMonthlyCost(spec([pool('general', 'm6i.large', 3)]), awsUsEast1, 'standard');
    expect(costChangeSummary(before, after)).toBe(`estimated cost: $143.08/month → $283.24/month (+$140.16) (aws us-east-1 prices of 2026-11-15 from ${awsUsEast1.source})`);
    expect(costChangeSummary(after, before)).toMatch(/\$283\.24\/month → \$143\.08\/month \(-\$140\.16\)/);
  });
});
