import { describe, expect, it } from 'vitest';
import { approvalRefusal, approvalRuleFor, assertMayDecide, DEFAULT_APPROVAL_POLICY, isProtectedCluster, isSatisfied, type ApprovalSubject } from './approval-policy.ts';

const rule = { approvers: 2, roles: ['team-admin' as const], groups: ['sre'] };
const subject: ApprovalSubject = { requester: 'alice', teamId: 't1', rule, approvedBy: [] };

describe('approval policy', () => {
  it('a delete needs approval only for a protected or production cluster', () => {
    expect(approvalRuleFor(DEFAULT_APPROVAL_POLICY, 'delete')).toBeUndefined();
    expect(approvalRuleFor(DEFAULT_APPROVAL_POLICY, 'delete', { protectedCluster: true })).toMatchObject({ approvers: 1 });
    expect(isProtectedCluster({ environment: 'production' })).toBe(true);
    expect(isProtectedCluster({ protected: 'true' })).toBe(true);
    expect(isProtectedCluster({ environment: 'staging', protected: 'false' })).toBe(false);
    expect(isProtectedCluster(JSON.parse('{"__proto__": {"environment": "production"}}'))).toBe(false);
  });

  it('an action the policy leaves out needs none; inherited keys are not actions', () => {
    expect(approvalRuleFor({}, 'reconcile')).toBeUndefined();
    expect(approvalRuleFor(Object.create({ reconcile: rule }), 'reconcile')).toBeUndefined();
  });

  it('never the requester, never twice, only the own team unless platform admin, only allowed roles or groups', () => {
    expect(approvalRefusal(subject, { subject: 'alice', role: 'platform-admin', teamId: null })?.message).toMatch(/cannot approve their own request/);
    expect(approvalRefusal({ ...subject, approvedBy: ['carol'] }, { subject: 'carol', role: 'team-admin', teamId: 't1' })?.message).toMatch(/already approved/);
    expect(approvalRefusal(subject, { subject: 'eve', role: 'team-admin', teamId: 't2' })?.message).toMatch(/not in the team/);
    expect(approvalRefusal(subject, { subject: 'bob', role: 'member', teamId: 't1' })?.message).toMatch(/needs role team-admin or group sre/);
    expect(approvalRefusal(subject, { subject: 'bob', role: 'member', teamId: 't1', groups: ['sre'] })).toBeUndefined();
    expect(approvalRefusal(subject, { subject: 'carol', role: 'team-admin', teamId: 't1' })).toBeUndefined();
    expect(approvalRefusal(subject, { subject: 'root', role: 'platform-admin', teamId: null })?.message).toMatch(/may not approve/);
  });

  it('is satisfied by enough distinct approvers', () => {
    expect(isSatisfied(rule, ['carol'])).toBe(false);
    expect(isSatisfied(rule, ['carol', 'carol'])).toBe(false);
    expect(isSatisfied(rule, ['carol', 'dave'])).toBe(true);
  });

  it('the requester may withdraw (reject) their own request but not approve it', () => {
    expect(() => assertMayDecide(subject, { subject: 'alice', role: 'member', teamId: 't1' }, 'reject')).not.toThrow();
    expect(() => assertMayDecide(subject, { subject: 'alice', role: 'member', teamId: 't1' }, 'approve')).toThrow(/own request/);
  });
});
