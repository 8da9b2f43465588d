/** The tokens router: create (the token is returned once), list and revoke. */
import { sql } from 'kysely';
import { z } from 'zod';
import { DomainError } from '../../platform/errors.ts';
import { issueToken } from '../auth/tokens.ts';
import { decodeCursor, encodeCursor } from '../pagination.ts';
import { assertMayManageTokens, teamForNewToken, teamForTokenListing } from '../tokens/token-access.ts';
import { TOKEN_VIEW_COLUMNS, tokenRowToToken } from '../tokens/token-view.ts';
import { authedProcedure, router } from '../trpc.ts';
import { cursor, pageLimit, teamName } from './inputs.ts';

/** Subjects name who holds a token: DNS-ish, e.g. `alice`, `ci.payments`, `deploy-bot`. */
const subject = z
  .string()
  .min(1, 'must not be empty')
  .max(63, 'must be at most 63 characters')
  .regex(/^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$/, 'must be lowercase letters, digits, "." and "-", starting and ending with a letter or digit')
  .refine((s) => !RESERVED_SUBJECTS.includes(s), { message: 'is reserved for the platform itself' });
/** Actors the platform writes into audit rows and templates itself. */
const RESERVED_SUBJECTS = ['anonymous', 'platform', 'bootstrap'];

const tokenId = z.string().regex(/^k[a-z0-9]{12}$/, 'not a token id (k + 12 characters)');

export const tokensRouter = router({
  create: authedProcedure
    .input(
      z.strictObject({
        team: teamName.optional(),
        subject,
        role: z.enum(['member', 'team-admin', 'platform-admin']).default('member'),
        ttlDays: z.int().min(1).max(365).default(90),
      }),
    )
    .mutation(({ ctx, input }) =>
      (async () => {
        const db = ctx.services.db;
        const team = await teamForNewToken(db, ctx.actor, input.role, input.team);
        ctx.audit.teamId = team?.id ?? null;
        const issued = await issueToken(db, { subject: input.subject, role: input.role, teamId: team?.id ?? null, createdBy: ctx.actor.subject, ttlDays: input.ttlDays });
        return { id: issued.id, token: issued.token, subject: input.subject, role: input.role, team: team?.name ?? null, expiresAt: issued.expiresAt.toISOString() };
      })(),
    ),

  list: authedProcedure
    .input(z.strictObject({ team: teamName.optional(), includeInactive: z.boolean().default(false), cursor, limit: pageLimit }).default({ includeInactive: false, limit: 50 }))
    .query(({ ctx, input }) =>
      (async () => {
        const db = ctx.services.db;
        const team = await teamForTokenListing(db, ctx.actor, input.team);
        let query = db
          .selectFrom('tokens')
          .leftJoin('teams', 'teams.id', 'tokens.team_id')
          .select(TOKEN_VIEW_COLUMNS.map((c) => `tokens.${c}` as const))
          .select('teams.name as team_name');
        if (team) query = query.where('tokens.team_id', '=', team.id);
        if (!input.includeInactive) query = query.where('tokens.revoked_at', 'is', null).where('tokens.expires_at', '>', new Date());
        if (input.cursor) {
          const c = decodeCursor(input.cursor);
          query = query.where(sql<boolean>`(tokens.created_at, tokens.id) < (${c.at}, ${c.id})`);
        }
        const rows = await query.orderBy('tokens.created_at', 'desc').orderBy('tokens.id', 'desc').limit(input.limit + 1).execute();
        const page = rows.slice(0, input.limit);
        const last = page[page.length - 1];
        return { items: page.map((r) => tokenRowToToken(r, r.team_name)), nextCursor: rows.length > input.limit && last ? encodeCursor(last) : null };
      })(),
    ),

  revoke: authedProcedure.input(z.strictObject({ id: tokenId })).mutation(({ ctx, input }) =>
    (async () => {
      const db = ctx.services.db;
      assertMayManageTokens(ctx.actor);
      let query = db.selectFrom('tokens').select('team_id').where('id', '=', input.id);
      if (ctx.actor.role !== 'platform-admin') query = query.where('team_id', '=', ctx.actor.teamId!);
      const found = await query.executeTakeFirst();
      // another team's token is reported exactly like an unknown one
      if (!found) throw new DomainError('NOT_FOUND', `token ${input.id} does not exist`, { hint: 'list tokens with `kaas tokens list --all`' });
      ctx.audit.teamId = found.team_id;
      await db.updateTable('tokens').set({ revoked_at: new Date() }).where('id', '=', input.id).where('revoked_at', 'is', null).execute();
      const row = await db
        .selectFrom('tokens')
        .leftJoin('teams', 'teams.id', 'tokens.team_id')
        .select(TOKEN_VIEW_COLUMNS.map((c) => `tokens.${c}` as const))
        .select('teams.name as team_name')
        .where('tokens.id', '=', input.id)
        .executeTakeFirstOrThrow();
      return tokenRowToToken(row, row.team_name);
    })(),
  ),
});
