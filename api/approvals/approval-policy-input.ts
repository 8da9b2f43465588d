/** The strict input schema of an approval policy (`targets.update --approval-policy`). */
import { z } from 'zod';
import { APPROVAL_ACTIONS, type ApprovalPolicy } from '../../platform/approval-policy.ts';

const rule = z
  .strictObject({
    approvers: z.number().int().min(1).max(10),
    roles: z.array(z.enum(['member', 'team-admin', 'platform-admin'])).max(3).default([]),
    /** Identity-provider groups (SSO sign-ins only: API tokens carry none). */
    groups: z.array(z.string().min(1).max(200)).max(50).default([]),
  })
  .refine((r) => r.roles.length + r.groups.length > 0, 'name at least one role or group that may approve');

/** Per action its rule; an action left out needs no approval. */
export const approvalPolicyInput = z.strictObject(Object.fromEntries(APPROVAL_ACTIONS.map((a) => [a, rule.optional()])) as Record<(typeof APPROVAL_ACTIONS)[number], z.ZodOptional<typeof rule>>) as unknown as z.ZodType<ApprovalPolicy>;
