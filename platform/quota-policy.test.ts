import { describe, expect, it } from 'vitest';
import { isDomainError } from './errors.ts';
import { checkQuota, parseTeamPolicy, type QuotaRequest, type QuotaUsage, type TeamPolicy } from './quota-policy.ts';

const policy: TeamPolicy = { maxClusters: 3, maxTotalNodes: 20, allowedTargets: ['aws-prod', 'sim-local'], allowedTemplates: ['eks-standard', 'sim-dev'] };
const open: TeamPolicy = { maxClusters: 3, maxTotalNodes: 20, allowedTargets: '*', allowedTemplates: '*' };
const req = (r: Partial<QuotaRequest> = {}): QuotaRequest => ({ nodes: 3, target: 'sim-local', template: 'sim-dev@2', ...r });

function outcome(p: TeamPolicy, usage: QuotaUsage, request: QuotaRequest): string {
  try {
    checkQuota(p, usage, request);
    return 'ok';
  } catch (err) {
    if (isDomainError(err)) return `${err.code}: ${err.message}`;
    throw err;
  }
}

describe('checkQuota', () => {
  it.each<[string, TeamPolicy, QuotaUsage, QuotaRequest, string]>([
    ['fits', policy, { clusters: 0, nodes: 0 }, req(), 'ok'],
    ['fills the last cluster and node exactly', policy, { clusters: 2, nodes: 17 }, req(), 'ok'],
    ['wildcards allow anything', open, { clusters: 0, nodes: 0 }, req({ target: 'x', template: 'y' }), 'ok'],
    ['raw spec with template wildcard', open, { clusters: 0, nodes: 0 }, req({ template: undefined }), 'ok'],
    ['update adds no cluster', policy, { clusters: 3, nodes: 10 }, req({ newCluster: false, nodes: 2 }), 'ok'],
    ['cluster quota', policy, { clusters: 3, nodes: 0 }, req(), 'QUOTA_EXCEEDED: cluster quota reached: 3 of 3 clusters in use'],
    ['node quota', policy, { clusters: 0, nodes: 18 }, req(), 'QUOTA_EXCEEDED: node quota exceeded: the request needs 3 nodes but only 2 of 20 remain (18 in use)'],
    ['over-used already', policy, { clusters: 0, nodes: 25 }, req({ nodes: 1 }), 'only 0 of 20 remain (25 in use)'],
    ['both quotas', policy, { clusters: 3, nodes: 20 }, req(), 'QUOTA_EXCEEDED: cluster quota reached: 3 of 3 clusters in use; node quota exceeded'],
    ['zero quota', { ...open, maxClusters: 0 }, { clusters: 0, nodes: 0 }, req(), 'QUOTA_EXCEEDED: cluster quota reached: 0 of 0'],
    ['target not allowed', policy, { clusters: 0, nodes: 0 }, req({ target: 'gcp-prod' }), 'FORBIDDEN: target "gcp-prod" is not allowed for this team (allowed: aws-prod, sim-local)'],
    ['template not allowed', policy, { clusters: 0, nodes: 0 }, req({ template: 'eks-production@1' }), 'FORBIDDEN: template "eks-production" is not allowed'],
    ['raw spec when templates are restricted', policy, { clusters: 0, nodes: 0 }, req({ template: undefined }), 'FORBIDDEN: this team may only create clusters from templates'],
    ['empty allow list', { ...policy, allowedTargets: [] }, { clusters: 0, nodes: 0 }, req(), 'FORBIDDEN: target "sim-local" is not allowed for this team (allowed: none)'],
    ['forbidden wins over quota', policy, { clusters: 3, nodes: 20 }, req({ target: 'x' }), 'FORBIDDEN: target "x"'],
  ])('%s', (_name, p, usage, request, expected) => {
    expect(outcome(p, usage, request)).toContain(expected);
  });

  it('carries every problem as an issue with a hint', () => {
    try {
      checkQuota(policy, { clusters: 0, nodes: 0 }, req({ target: 'x', template: 'y' }));
      expect.unreachable();
    } catch (err) {
      expect(isDomainError(err) && err.issues.map((i) => i.path)).toEqual(['target', 'template']);
      expect(isDomainError(err) && err.hint).toMatch(/platform admin/);
    }
  });
});

describe('parseTeamPolicy', () => {
  it('accepts a valid document', () => expect(parseTeamPolicy({ ...policy })).toEqual(policy));
  it.each<[string, unknown, string]>([
    ['negative quota', { ...open, maxClusters: -1 }, 'maxClusters'],
    ['other wildcard', { ...open, allowedTargets: 'all' }, 'allowedTargets'],
    ['unknown key', { ...open, maxCpus: 3 }, 'unknown field(s) "maxCpus"'],
  ])('rejects %s', (_name, doc, expected) => {
    expect(() => parseTeamPolicy(doc)).toThrow(expect.objectContaining({ code: 'VALIDATION', message: expect.stringContaining(expected) }));
  });
});

describe('checkQuota: monthly budget', () => {
  const budget = (monthlyBudget: number | null): TeamPolicy => ({ ...open, maxTotalNodes: 1000, monthlyBudget });
  const cost = (monthly: number, before?: number, unpriced: string[] = [], beforeUnpriced: string[] = []) => ({ monthly, unpriced, ...(before !== undefined ? { before: { monthly: before, unpriced: beforeUnpriced } } : {}) });
  it.each<[string, TeamPolicy, QuotaUsage, QuotaRequest, string]>([
    ['no budget: anything', budget(null), { clusters: 0, nodes: 0, monthlyCost: 1e6 }, req({ cost: cost(1e6) }), 'ok'],
    ['fits exactly', budget(500), { clusters: 1, nodes: 3, monthlyCost: 300 }, req({ cost: cost(200) }), 'ok'],
    ['create over budget', budget(500), { clusters: 1, nodes: 3, monthlyCost: 300 }, req({ cost: cost(200.01), team: 'pay' }), "QUOTA_EXCEEDED: monthly budget exceeded: the team's budget is $500.00/month, its clusters are estimated at $300.00/month, this cluster $200.01/month would bring it to $500.01/month"],
    ['scale-up over budget', budget(500), { clusters: 1, nodes: 3, monthlyCost: 300 }, req({ newCluster: false, cost: cost(250, 150) }), 'QUOTA_EXCEEDED: monthly budget exceeded: the team\'s budget is $500.00/month, its clusters are estimated at $450.00/month, this change $100.00/month (the cluster from $150.00 to $250.00/month) would bring it to $550.00/month'],
    ['scale-down while over budget', budget(100), { clusters: 1, nodes: 3, monthlyCost: 300 }, req({ newCluster: false, cost: cost(120, 150) }), 'ok'],
    ['same cost while over budget', budget(100), { clusters: 1, nodes: 3, monthlyCost: 300 }, req({ newCluster: false, cost: cost(150, 150) }), 'ok'],
    ['unpriced create with a budget', budget(500), { clusters: 0, nodes: 0, monthlyCost: 0 }, req({ cost: cost(73, undefined, ['machine type x in aws r']) }), 'QUOTA_EXCEEDED: the team has a monthly budget of $500.00 but this request cannot be priced (machine type x in aws r)'],
    ['scale-down of a pool already unpriced', budget(500), { clusters: 0, nodes: 0, monthlyCost: 0 }, req({ newCluster: false, cost: cost(73, 100, ['machine type x in aws r'], ['machine type x in aws r']) }), 'ok'],
    ['nodes and budget both exceeded', { ...budget(10), maxTotalNodes: 1 }, { clusters: 0, nodes: 0, monthlyCost: 0 }, req({ cost: cost(20) }), 'QUOTA_EXCEEDED: node quota exceeded: the request needs 3 nodes but only 1 of 1 remain (0 in use); monthly budget exceeded'],
  ])('%s', (_name, p, usage, request, expected) => {
    expect(outcome(p, usage, request)).toContain(expected);
  });

  it('names the fix: set-quota for the team, or smaller nodes', () => {
    try {
      checkQuota(budget(10), { clusters: 0, nodes: 0, monthlyCost: 0 }, req({ cost: cost(20), team: 'payments' }));
      expect.unreachable();
    } catch (err) {
      expect(isDomainError(err) && err.hint).toBe('raise the budget with `kaas teams set-quota payments --monthly-budget AMOUNT` (platform admins), or choose smaller or fewer nodes');
    }
  });
});
