/**
 * Team policy and quotas: how many clusters and nodes a team may run, and which targets and
 * templates it may use. This is the pure rule; the API enforces it atomically in SQL.
 */
import { z } from 'zod';
import { formatUsd } from './cost-estimate.ts';
import { DomainError, validationError, type FieldIssue } from './errors.ts';
import { zodIssuesToFieldIssues } from './zod-issues.ts';

/** What a team may use. `'*'` allows every target or template. */
export interface TeamPolicy {
  maxClusters: number;
  maxTotalNodes: number;
  allowedTargets: string[] | '*';
  allowedTemplates: string[] | '*';
  /** Monthly budget in USD for the team's estimated cost (platform/cost-estimate.ts); null/absent: none. */
  monthlyBudget?: number | null;
}

/** What a team runs now (live clusters and their desired nodes). */
export interface QuotaUsage {
  clusters: number;
  nodes: number;
  /**
   * Estimated monthly cost (USD) of the team's live clusters, the one being updated left out;
   * only needed when the policy has a budget.
   */
  monthlyCost?: number;
}

/** The request's estimated monthly cost, and for an update the cluster's estimate before it. */
export interface QuotaCost {
  monthly: number;
  /** What the estimate could not price (empty when complete). */
  unpriced: string[];
  /** For an update: the cluster's current estimate. */
  before?: { monthly: number; unpriced: string[] };
}

/** What a request adds. For an update, pass the node increase and `newCluster: false`. */
export interface QuotaRequest {
  nodes: number;
  target: string;
  /** Template name or `name@version`; absent for a cluster from a raw spec. */
  template?: string;
  /** Whether the request adds a cluster (default true). */
  newCluster?: boolean;
  /** The request's estimated cost, checked against the policy's monthly budget. */
  cost?: QuotaCost;
  /** The team's name, for the fix in a budget refusal. */
  team?: string;
}

const allowList = z.union([z.literal('*'), z.array(z.string().min(1))]);

/** The zod schema of a team policy document. */
export const teamPolicySchema = z.strictObject({
  maxClusters: z.int().min(0),
  maxTotalNodes: z.int().min(0),
  allowedTargets: allowList,
  allowedTemplates: allowList,
  monthlyBudget: z.number().min(0).nullable().optional(),
});

/** Validates a team policy document; throws VALIDATION naming each bad field. */
export function parseTeamPolicy(doc: unknown): TeamPolicy {
  const result = teamPolicySchema.safeParse(doc);
  if (!result.success) throw validationError(zodIssuesToFieldIssues(result.error.issues));
  return result.data;
}

/**
 * Throws FORBIDDEN when the target or template is not allowed for the team, else
 * QUOTA_EXCEEDED listing every exceeded limit; returns normally when the request fits.
 */
export function checkQuota(policy: TeamPolicy, usage: QuotaUsage, request: QuotaRequest): void {
  const forbidden: FieldIssue[] = [];
  if (policy.allowedTargets !== '*' && !policy.allowedTargets.includes(request.target)) {
    forbidden.push({ path: 'target', message: `target "${request.target}" is not allowed for this team (allowed: ${listOrNone(policy.allowedTargets)})` });
  }
  if (policy.allowedTemplates !== '*') {
    const name = request.template?.split('@')[0];
    if (name === undefined) {
      forbidden.push({ path: 'template', message: `this team may only create clusters from templates (allowed: ${listOrNone(policy.allowedTemplates)})` });
    } else if (!policy.allowedTemplates.includes(name)) {
      forbidden.push({ path: 'template', message: `template "${name}" is not allowed for this team (allowed: ${listOrNone(policy.allowedTemplates)})` });
    }
  }
  if (forbidden.length > 0) {
    throw new DomainError('FORBIDDEN', forbidden.map((i) => i.message).join('; '), {
      issues: forbidden,
      hint: 'pick an allowed target/template, or ask a platform admin to extend the team policy',
    });
  }

  const exceeded: FieldIssue[] = [];
  const addsCluster = request.newCluster ?? true;
  if (addsCluster && usage.clusters + 1 > policy.maxClusters) {
    exceeded.push({ path: 'clusters', message: `cluster quota reached: ${usage.clusters} of ${policy.maxClusters} clusters in use` });
  }
  if (usage.nodes + request.nodes > policy.maxTotalNodes) {
    const left = Math.max(0, policy.maxTotalNodes - usage.nodes);
    exceeded.push({ path: 'nodes', message: `node quota exceeded: the request needs ${request.nodes} nodes but only ${left} of ${policy.maxTotalNodes} remain (${usage.nodes} in use)` });
  }
  const budget = budgetIssue(policy, usage, request);
  if (budget) exceeded.push(budget.issue);
  if (exceeded.length > 0) {
    throw new DomainError('QUOTA_EXCEEDED', exceeded.map((i) => i.message).join('; '), {
      issues: exceeded,
      hint: budget && exceeded.length === 1 ? budget.hint : `delete or shrink a cluster, request fewer nodes, or ask a platform admin to raise the quota${budget ? `; ${budget.hint}` : ''}`,
    });
  }
}

/**
 * The monthly-budget rule: a request may not take the team's estimated monthly cost over its
 * budget. A change that does not raise the cluster's estimate (a scale-down, a same-cost edit)
 * always passes, even over budget, so a team can always get back under it. A request the
 * estimate cannot fully price is refused while a budget is set: it could hide any cost.
 */
function budgetIssue(policy: TeamPolicy, usage: QuotaUsage, request: QuotaRequest): { issue: FieldIssue; hint: string } | undefined {
  const budget = policy.monthlyBudget;
  const cost = request.cost;
  if (budget === null || budget === undefined || cost === undefined) return undefined;
  const before = cost.before;
  const newlyUnpriced = cost.unpriced.filter((u) => !(before?.unpriced ?? []).includes(u));
  if (before !== undefined && cost.monthly <= before.monthly && newlyUnpriced.length === 0) return undefined;
  const setQuota = `raise the budget with \`kaas teams set-quota ${request.team ?? 'TEAM'} --monthly-budget AMOUNT\` (platform admins)`;
  if (newlyUnpriced.length > 0) {
    return {
      issue: { path: 'monthlyBudget', message: `the team has a monthly budget of ${formatUsd(budget)} but this request cannot be priced (${newlyUnpriced.join('; ')}), so it cannot be checked against the budget` },
      hint: 'choose a machine type the price files list (pricing/<cloud>/<region>.yaml), or add its price there',
    };
  }
  const others = usage.monthlyCost ?? 0;
  const current = others + (before?.monthly ?? 0);
  const after = others + cost.monthly;
  if (after <= budget + 0.005) return undefined;
  const what = before === undefined ? `this cluster ${formatUsd(cost.monthly)}/month` : `this change ${formatUsd(cost.monthly - before.monthly)}/month (the cluster from ${formatUsd(before.monthly)} to ${formatUsd(cost.monthly)}/month)`;
  return {
    issue: { path: 'monthlyBudget', message: `monthly budget exceeded: the team's budget is ${formatUsd(budget)}/month, its clusters are estimated at ${formatUsd(current)}/month, ${what} would bring it to ${formatUsd(after)}/month` },
    hint: `${setQuota}, or choose smaller or fewer nodes`,
  };
}



function listOrNone(items: readonly string[]): string {
  return items.length > 0 ? items.join(', ') : 'none';
}
