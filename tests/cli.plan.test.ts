/** `kaas clusters plan` as people read it: the spec changes with their values, then the resource steps. */
import { describe, expect, it } from 'vitest';
import { planText } from '../cli/render/clusters.ts';
import { costView } from '../api/pricing/cost-view.ts';
import { costChangeSummary } from '../platform/cost-estimate.ts';
import { budgetText } from '../cli/render/resources.ts';

const operation = { id: 'o1', status: 'succeeded', error: null } as never;

describe('plan text', () => {
  it('shows each changed spec field with its value before and after', () => {
    const text = planText({
      cluster: 'web',
      operation,
      interrupted: false,
      changes: { update: 1 },
      steps: [{ op: 'update', resource: 'pool-general', resourceType: 'a:b:SimNodePool', diffs: ['properties.desiredSize'] }],
      specChanges: [
        { path: 'kubernetesVersion', from: '1.34', to: '1.33' },
        { path: 'nodePools.general.desiredSize', from: 3, to: 4 },
        { path: 'tags.owner', from: undefined, to: 'ops' },
      ],
    });
    expect(text).toMatch(/^ {2}kubernetesVersion: 1\.34 → 1\.33$/m);
    expect(text).toMatch(/^ {2}nodePools\.general\.desiredSize: 3 → 4$/m);
    expect(text).toMatch(/^ {2}tags\.owner: \(absent\) → ops$/m);
    expect(text.indexOf('desiredSize: 3 → 4')).toBeLessThan(text.indexOf('pool-general'));
  });

  it('says so when the spec does not change', () => {
    const text = planText({ cluster: 'web', operation, interrupted: false, changes: {}, steps: [], specChanges: [] });
    expect(text).toMatch(/^spec: no change$/m);
  });
});

describe('plan text: cost', () => {
  // figures of pricing/aws/us-east-1.yaml: m6i.large $0.096/h, EKS control plane $0.10/h, ALB $0.0225/h
  const prices = { cloud: 'aws', region: 'us-east-1', version: 1, date: '2026-12-02', source: 'https://pricing.us-east-1.amazonaws.com/offers/v1.0/aws/AmazonEC2/current/us-east-1/index.json' };
  const estimate = (n: number, machineType = 'm6i.large') => {
    const nodes = machineType === 'm6i.large' ? Math.round(n * 0.096 * 730 * 100) / 100 : null;
    const lines = [
      { kind: 'nodes' as const, item: `nodePools.general: ${n} × ${machineType}`, quantity: n, hourly: nodes === null ? null : 0.096, monthly: nodes, ...(nodes === null ? { note: `unpriced: no price for machine type ${machineType} in aws us-east-1` } : {}) },
      { kind: 'control-plane' as const, item: 'control plane (standard support, Kubernetes 1.35)', quantity: 1, hourly: 0.1, monthly: 73 },
      { kind: 'load-balancer' as const, item: 'ingress: 1 × Application Load Balancer', quantity: 1, hourly: 0.0225, monthly: 16.43 },
    ];
    const unpriced = nodes === null ? [`machine type ${machineType} in aws us-east-1`] : [];
    return { currency: 'USD' as const, monthly: Math.round(((nodes ?? 0) + 73 + 16.43) * 100) / 100, complete: unpriced.length === 0, lines, unpriced, prices };
  };
  const plan = (before: ReturnType<typeof estimate>, after: ReturnType<typeof estimate>) => ({
    cluster: 'web',
    operation,
    interrupted: false,
    changes: { update: 1 },
    steps: [],
    specChanges: [{ path: 'nodePools.general.desiredSize', from: 2, to: 3 }],
    cost: { before: costView(before), after: costView(after), delta: after.monthly - before.monthly, summary: costChangeSummary(before, after) },
  });

  it('shows the estimate before → after with the source and date of the prices, then each line item', () => {
    const text = planText(plan(estimate(2), estimate(3)));
    expect(text).toMatch(/^estimated cost: \$229\.59\/month → \$299\.67\/month \(\+\$70\.08\) \(aws us-east-1 prices of 2026-12-02 from https:\/\/pricing\.us-east-1\.amazonaws\.com\/offers\/v1\.0\/aws\/AmazonEC2\/current\/us-east-1\/index\.json\)$/m);
    expect(text).toMatch(/^ {2}nodePools\.general: 3 × m6i\.large: \$210\.24\/month$/m);
    expect(text).toMatch(/^ {2}ingress: 1 × Application Load Balancer: \$16\.43\/month$/m);
  });

  it('says when the update would be refused by the budget', () => {
    const text = planText({ ...plan(estimate(2), estimate(3)), quota: { allowed: false, message: 'monthly budget exceeded: …', hint: 'raise the budget with `kaas teams set-quota payments --monthly-budget AMOUNT` (platform admins), or choose smaller or fewer nodes' } });
    expect(text).toMatch(/^kaas clusters update would be REFUSED: monthly budget exceeded: …$/m);
    expect(text).toMatch(/^hint: raise the budget with `kaas teams set-quota payments/m);
    expect(planText({ ...plan(estimate(2), estimate(3)), quota: { allowed: true } })).not.toMatch(/REFUSED/);
  });

  it('says what it could not price instead of showing $0', () => {
    const text = planText(plan(estimate(2), estimate(3, 'p5.48xlarge')));
    expect(text).toMatch(/→ \$89\.43\/month or more .*NOT PRICED: machine type p5\.48xlarge in aws us-east-1/);
    expect(text).toMatch(/^ {2}nodePools\.general: 3 × p5\.48xlarge: NOT PRICED \(unpriced: no price for machine type p5\.48xlarge in aws us-east-1\)$/m);
  });
});

describe('teams get: budget used', () => {
  const team = (monthlyBudget: number | null, monthlyCost: number, unpricedClusters = 0) =>
    ({ name: 'payments', quota: { maxClusters: 10, maxTotalNodes: 100, allowedTargets: '*', allowedTemplates: '*', monthlyBudget }, usage: { clusters: 2, nodes: 4, monthlyCost, unpricedClusters } }) as never;
  it('shows the estimated total against the budget', () => {
    expect(budgetText(team(500, 420))).toBe('$420.00 of $500.00/month estimated (84%)');
    expect(budgetText(team(null, 1234.5, 1))).toBe('none ($1,234.50/month estimated; 1 cluster(s) not fully priced)');
  });
});
