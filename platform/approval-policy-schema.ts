/**
 * The strict schema of an approval policy, as a template's `approvals:` section and as
 * `targets.update {approvalPolicy}` take it: known actions only, each rule naming at least one
 * role or group.
 */
import { z } from 'zod';
import { APPROVAL_ACTIONS, type ApprovalPolicy } from './approval-policy.ts';

const rule = z
  .strictObject({
    approvers: z.number().int().min(1).max(10),
    roles: z.array(z.enum(['member', 'team-admin', 'platform-admin'])).max(3).default([]),
    /** Identity-provider groups (SSO sign-ins only: API tokens carry none). */
    groups: z.array(z.string().min(1).max(200)).max(50).default([]),
  })
  .refine((r) => r.roles.length + r.groups.length > 0, 'name at least one role or group that may approve');

/** Per action its rule; an action left out needs no approval. */
export const approvalPolicySchema = z.strictObject(Object.fromEntries(APPROVAL_ACTIONS.map((a) => [a, rule.optional()])) as Record<(typeof APPROVAL_ACTIONS)[number], z.ZodOptional<typeof rule>>) as unknown as z.ZodType<ApprovalPolicy>;
