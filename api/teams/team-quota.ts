/**
 * Setting a team's quota: a partial quota input is laid over the current policy (or the defaults
 * for a new team), validated by the pure rule in platform/quota-policy.ts, and its allow-lists
 * are checked against the targets and templates that exist, so a typo cannot lock a team out.
 */
import { z } from 'zod';
import { DomainError, type FieldIssue } from '../../platform/errors.ts';
import { parseTeamPolicy, type TeamPolicy } from '../../platform/quota-policy.ts';
import type { DbOrTx, TeamTable } from '../db/schema.ts';
import { dnsName } from '../routers/inputs.ts';

/** The policy of a team created without a quota (the database defaults). */
export const DEFAULT_TEAM_POLICY: TeamPolicy = { maxClusters: 10, maxTotalNodes: 100, allowedTargets: '*', allowedTemplates: '*', monthlyBudget: null };

const allowList = (what: string) =>
  z.union([z.literal('*'), z.array(dnsName(63)).max(200)], { error: `must be "*" (every ${what}) or a list of ${what} names` });

/** Quota input: every field optional; omitted fields keep their current value. */
export const quotaInput = z.strictObject({
  maxClusters: z.int().min(0).max(10_000).optional(),
  maxTotalNodes: z.int().min(0).max(1_000_000).optional(),
  allowedTargets: allowList('target').optional(),
  allowedTemplates: allowList('template').optional(),
  /** USD per month the team's estimated cost may reach; null removes the budget. */
  monthlyBudget: z.number({ error: 'must be an amount in USD per month, e.g. 500' }).min(0).max(100_000_000).nullable().optional(),
});
export type QuotaInput = z.infer<typeof quotaInput>;

/** The policy after applying `patch` to `current`, validated. */
export function applyQuota(current: TeamPolicy, patch: QuotaInput): TeamPolicy {
  const merged = { monthlyBudget: null, ...current, ...Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) };
  const policy = parseTeamPolicy(merged);
  const dedupe = (l: string[] | '*') => (l === '*' ? l : [...new Set(l)].sort());
  return { ...policy, allowedTargets: dedupe(policy.allowedTargets), allowedTemplates: dedupe(policy.allowedTemplates) };
}

/** Throws VALIDATION naming every allow-listed target or template that does not exist. */
export async function assertPolicyReferencesExist(db: DbOrTx, policy: TeamPolicy): Promise<void> {
  const issues: FieldIssue[] = [];
  if (policy.allowedTargets !== '*' && policy.allowedTargets.length > 0) {
    const known = new Set((await db.selectFrom('targets').select('name').where('name', 'in', policy.allowedTargets).execute()).map((r) => r.name));
    for (const name of policy.allowedTargets) if (!known.has(name)) issues.push({ path: 'quota.allowedTargets', message: `target "${name}" does not exist` });
  }
  if (policy.allowedTemplates !== '*' && policy.allowedTemplates.length > 0) {
    const known = new Set((await db.selectFrom('templates').select('name').where('name', 'in', policy.allowedTemplates).execute()).map((r) => r.name));
    for (const name of policy.allowedTemplates) if (!known.has(name)) issues.push({ path: 'quota.allowedTemplates', message: `template "${name}" does not exist` });
  }
  if (issues.length > 0) {
    throw new DomainError('VALIDATION', `invalid input: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, {
      issues,
      hint: 'list what exists with `kaas targets list` and `kaas templates list`, or register it first',
    });
  }
}

/** The team columns holding a policy. */
export function policyColumns(policy: TeamPolicy): Pick<TeamTable, 'allowed_targets' | 'allowed_templates'> & { max_clusters: number; max_total_nodes: number; monthly_budget_usd: number | null } {
  return {
    monthly_budget_usd: policy.monthlyBudget ?? null,
    max_clusters: policy.maxClusters,
    max_total_nodes: policy.maxTotalNodes,
    allowed_targets: policy.allowedTargets === '*' ? null : policy.allowedTargets,
    allowed_templates: policy.allowedTemplates === '*' ? null : policy.allowedTemplates,
  };
}
