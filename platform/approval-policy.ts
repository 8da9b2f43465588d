/**
 * The approval rule (issue 13, "Approvals"): which actions need approval, how many approvers of
 * which roles or groups satisfy a request, and who may approve it. Pure; the API
 * (api/approvals/*) is the only caller and never restates any of it.
 *
 * A policy lives on a target (`targets.approval_policy`; a target without one uses
 * `DEFAULT_APPROVAL_POLICY`) and may be refined by a template's `approvals:` section, whose rules
 * replace the target's for the actions it names (`effectivePolicy`). Groups match an actor's identity-provider groups; API-token actors
 * have none, so a rule that lists only groups can be met by SSO sign-ins only.
 */
import { DomainError } from './errors.ts';

/** The actions a policy can put behind an approval. */
export const APPROVAL_ACTIONS = ['delete', 'reconcile', 'forced-upgrade', 'fleet-wave'] as const;
export type ApprovalAction = (typeof APPROVAL_ACTIONS)[number];

export type ApproverRole = 'member' | 'team-admin' | 'platform-admin';

/** How one action is approved: `approvers` distinct people, each holding one of `roles` or in one of `groups`. */
export interface ApprovalRule {
  approvers: number;
  roles: ApproverRole[];
  groups: string[];
}

/** Per action, its rule; an action left out needs no approval. */
export type ApprovalPolicy = Partial<Record<ApprovalAction, ApprovalRule>>;

/**
 * Without a policy on the target: every sensitive action needs one approver who is not the
 * requester — a team admin of the cluster's team or a platform admin; a fleet wave, a platform admin.
 */
export const DEFAULT_APPROVAL_POLICY: ApprovalPolicy = Object.freeze({
  delete: { approvers: 1, roles: ['team-admin', 'platform-admin'], groups: [] },
  reconcile: { approvers: 1, roles: ['team-admin', 'platform-admin'], groups: [] },
  'forced-upgrade': { approvers: 1, roles: ['team-admin', 'platform-admin'], groups: [] },
  'fleet-wave': { approvers: 1, roles: ['platform-admin'], groups: [] },
});

/**
 * The policy a cluster falls under: its target's (or the default), with each action its template
 * names replaced by the template's rule.
 */
export function effectivePolicy(targetPolicy: ApprovalPolicy | null, templatePolicy?: ApprovalPolicy | undefined): ApprovalPolicy {
  const merged: ApprovalPolicy = { ...(targetPolicy ?? DEFAULT_APPROVAL_POLICY) };
  for (const action of APPROVAL_ACTIONS) if (templatePolicy && Object.hasOwn(templatePolicy, action) && templatePolicy[action]) merged[action] = templatePolicy[action];
  return merged;
}

/** Who is approving: the parts of an actor the rule reads. */
export interface Approver {
  subject: string;
  role: ApproverRole;
  /** The actor's team; null for platform admins. */
  teamId: string | null;
  /** Identity-provider groups; absent or empty for API tokens. */
  groups?: readonly string[] | undefined;
}

/** What a request needs to be decided, as the rule sees it. */
export interface ApprovalSubject {
  requester: string;
  /** The team the request is about (a cluster's); null for platform-wide ones (a campaign). */
  teamId: string | null;
  rule: ApprovalRule;
  /** Subjects that approved so far. */
  approvedBy: readonly string[];
}

/** Labels that mark a cluster as protected: its delete needs an approval. */
export const PROTECTED_LABELS: ReadonlyArray<readonly [string, string]> = [
  ['environment', 'production'],
  ['protected', 'true'],
];

/** Whether a cluster with these labels is protected or production (`environment=production` or `protected=true`). */
export function isProtectedCluster(labels: Readonly<Record<string, string>>): boolean {
  return PROTECTED_LABELS.some(([k, v]) => Object.hasOwn(labels, k) && labels[k] === v);
}

/**
 * The rule `action` falls under, or undefined when it needs no approval. A delete needs one
 * only for a protected cluster (`protectedCluster`).
 */
export function approvalRuleFor(policy: ApprovalPolicy, action: ApprovalAction, opts: { protectedCluster?: boolean } = {}): ApprovalRule | undefined {
  if (action === 'delete' && !opts.protectedCluster) return undefined;
  return Object.hasOwn(policy, action) ? policy[action] : undefined;
}

/** Why `approver` may not approve the request, or undefined when they may. Refusals name the fix. */
export function approvalRefusal(subject: ApprovalSubject, approver: Approver): { message: string; hint: string } | undefined {
  if (approver.subject === subject.requester) {
    return { message: `${approver.subject} requested this and cannot approve their own request (with any token)`, hint: 'ask someone else who holds an approving role' };
  }
  if (subject.approvedBy.includes(approver.subject)) {
    return { message: `${approver.subject} already approved this request; each approver counts once`, hint: `it needs ${subject.rule.approvers - subject.approvedBy.length} more approver(s)` };
  }
  // a team's people decide only their own team's requests; platform admins decide any
  if (approver.role !== 'platform-admin' && (subject.teamId === null || approver.teamId !== subject.teamId)) {
    return { message: `${approver.subject} is not in the team this request belongs to`, hint: 'ask a platform admin or an admin of that team' };
  }
  const byRole = subject.rule.roles.includes(approver.role);
  const byGroup = (approver.groups ?? []).some((g) => subject.rule.groups.includes(g));
  if (!byRole && !byGroup) {
    const who = [...subject.rule.roles.map((r) => `role ${r}`), ...subject.rule.groups.map((g) => `group ${g}`)].join(' or ') || 'nobody';
    return { message: `${approver.subject} (${approver.role}) may not approve this: it needs ${who}`, hint: 'ask someone who holds one of those roles or groups' };
  }
  return undefined;
}

/** Whether the approvals given satisfy the rule. */
export function isSatisfied(rule: ApprovalRule, approvedBy: readonly string[]): boolean {
  return new Set(approvedBy).size >= rule.approvers;
}

/** Throws FORBIDDEN when `approver` may not approve; used by the API for approve and reject alike. */
export function assertMayDecide(subject: ApprovalSubject, approver: Approver, decision: 'approve' | 'reject'): void {
  // the requester may withdraw (reject) their own request; only approving it is forbidden
  if (decision === 'reject' && approver.subject === subject.requester) return;
  const refusal = approvalRefusal(decision === 'reject' ? { ...subject, approvedBy: [] } : subject, approver);
  if (refusal) throw new DomainError('FORBIDDEN', refusal.message, { hint: refusal.hint });
}
