/** The audit router: platform admins read the audit log. */
import { z } from 'zod';
import { listAudit } from '../audit/audit-query.ts';
import { adminProcedure, router } from '../trpc.ts';
import { teamName } from './inputs.ts';

const isoDateTime = z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time, e.g. 2026-11-26T17:00:00Z' }).transform((s) => new Date(s));

export const auditRouter = router({
  list: adminProcedure
    .input(
      z
        .strictObject({
          team: teamName.optional(),
          actor: z.string().min(1).max(100).optional(),
          action: z.string().min(1).max(100).optional(),
          result: z.enum(['ok', 'denied', 'failed']).optional(),
          since: isoDateTime.optional(),
          until: isoDateTime.optional(),
          cursor: z.string().regex(/^[1-9][0-9]{0,17}$/, 'not a cursor returned by this API').optional(),
          limit: z.int().min(1).max(500).default(100),
        })
        .refine((i) => !(i.since && i.until) || i.since < i.until, { message: 'since must be before until', path: ['until'] })
        .default({ limit: 100 }),
    )
    .query(({ ctx, input }) => listAudit(ctx.services.db, input)),
});
