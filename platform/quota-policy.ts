/**
 * Team policy and quotas: how many clusters and nodes a team may run, and which targets and
 * templates it may use. This is the pure rule; the API enforces it atomically in SQL.
 */
import { z } from 'zod';
import { DomainError, validationError, type FieldIssue } from './errors.ts';
import { zodIssuesToFieldIssues } from './zod-issues.ts';

/** What a team may use. `'*'` allows every target or template. */
export interface TeamPolicy {
  maxClusters: number;
  maxTotalNodes: number;
  allowedTargets: string[] | '*';
  allowedTemplates: string[] | '*';
}

/** What a team runs now (live clusters and their desired nodes). */
export interface QuotaUsage {
  clusters: number;
  nodes: number;
}

/** What a request adds. For an update, pass the node increase and `newCluster: false`. */
export interface QuotaRequest {
  nodes: number;
  target: string;
  /** Template name or `name@version`; absent for a cluster from a raw spec. */
  template?: string;
  /** Whether the request adds a cluster (default true). */
  newCluster?: boolean;
}

const allowList = z.union([z.literal('*'), z.array(z.string().min(1))]);

/** The zod schema of a team policy document. */
export const teamPolicySchema = z.strictObject({
  maxClusters: z.int().min(0),
  maxTotalNodes: z.int().min(0),
  allowedTargets: allowList,
  allowedTemplates: allowList,
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
  if (exceeded.length > 0) {
    throw new DomainError('QUOTA_EXCEEDED', exceeded.map((i) => i.message).join('; '), {
      issues: exceeded,
      hint: 'delete or shrink a cluster, request fewer nodes, or ask a platform admin to raise the quota',
    });
  }
}

function listOrNone(items: readonly string[]): string {
  return items.length > 0 ? items.join(', ') : 'none';
}
