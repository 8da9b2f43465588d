/**
 * tRPC is initialised here, once. Exported: the router factory and the base procedures —
 * `publicProcedure`, `authedProcedure` (any valid token), `teamProcedure` (acts for one team:
 * a member's own, or the `team` a platform admin names) and `adminProcedure` (platform admins).
 * Every mutation, allowed or not, writes an audit row.
 */
import { initTRPC, TRPCError } from '@trpc/server';
import { CODE_HINTS, DomainError, hintOf, validationError } from '../platform/errors.ts';
import { forbiddenKeyIssue, forbiddenKeyPaths } from '../platform/safe-keys.ts';
import type { Actor } from './auth/tokens.ts';
import { writeAudit } from './audit.ts';
import type { Context } from './context.ts';
import type { TeamRow } from './db/schema.ts';
import { databaseUnavailableError, unavailableReason, domainErrorOf, toTrpcError, TRPC_CODE, type KaasErrorData } from './errors.ts';
import { ownTeam } from './teams/own-team.ts';

const t = initTRPC.context<Context>().create({
  // live streams (subscriptions) over SSE: a ping keeps proxies from closing a quiet stream, and
  // a client that hears nothing for twice that long reconnects (resuming after its last event)
  sse: { ping: { enabled: true, intervalMs: 10_000 }, client: { reconnectAfterInactivityMs: 25_000 } },
  errorFormatter({ shape, error, ctx }) {
    const unavailable = databaseUnavailableError(error);
    if (unavailable) {
      const reason = unavailableReason(unavailable);
      return { ...shape, message: reason.message, data: { code: 'SERVICE_UNAVAILABLE' as const, httpStatus: 503, path: shape.data.path, kaas: { code: 'UNAVAILABLE', hint: reason.hint } satisfies KaasErrorData } };
    }
    const domain = domainErrorOf(error) ?? requestBodyError(error);
    const internal = !domain && error.code === 'INTERNAL_SERVER_ERROR';
    if (internal) ctx?.services.logger.error({ err: error.cause ?? error }, 'unexpected error');
    const kaas: KaasErrorData = domain
      ? { code: domain.code, hint: hintOf(domain), ...(domain.issues.length ? { issues: domain.issues } : {}) }
      : withHint({ code: internal ? 'INTERNAL' : ((Object.entries(TRPC_CODE).find(([, v]) => v === error.code)?.[0] as KaasErrorData['code']) ?? (shape.data.httpStatus < 500 ? 'VALIDATION' : 'INTERNAL')) });
    const dev = ctx?.services.config.dev ?? false;
    return {
      ...shape,
      message: domain ? domain.message : internal ? `internal error (request ${ctx?.requestId ?? 'unknown'})` : shape.message,
      data: { code: shape.data.code, httpStatus: shape.data.httpStatus, path: shape.data.path, kaas, ...(dev && shape.data.stack ? { stack: shape.data.stack } : {}) },
    };
  },
});

/** Error data for an error that is not a domain error: its code's hint, or the bug-report one. */
function withHint(data: { code: KaasErrorData['code'] }): KaasErrorData {
  const hint = data.code === 'INTERNAL' || data.code === 'UNAVAILABLE' ? 'this is a bug or an outage of the platform: report it with the request id below' : CODE_HINTS[data.code];
  return { ...data, hint };
}

/** A request body tRPC could not read, as the validation error the client should see. */
function requestBodyError(error: TRPCError): DomainError | undefined {
  if (error.code === 'PAYLOAD_TOO_LARGE') return new DomainError('VALIDATION', 'request body too large', { hint: 'send a smaller request (a template document may be at most 64 KiB)' });
  if (error.code === 'BAD_REQUEST' && error.cause instanceof SyntaxError) return new DomainError('VALIDATION', `request body is not valid JSON: ${error.cause.message}`);
  return undefined;
}

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

/** What the audit row of a mutation records; procedures fill it in as they learn it. */
export interface AuditSlot {
  teamId: string | null;
  target: string | null;
  /** What the procedure adds to the row (e.g. the reason of an admin action), whatever the outcome. */
  detail?: Record<string, unknown>;
}

function describeTarget(input: unknown): string | null {
  if (typeof input !== 'object' || input === null) return null;
  const i = input as Record<string, unknown>;
  const v = i.name ?? i.id ?? i.subject;
  return typeof v === 'string' ? v.slice(0, 200) : null;
}

/** When each action last wrote an anonymous audit row, per platform (services). */
const anonymousAudited = new WeakMap<object, Map<string, number>>();
const ANONYMOUS_AUDIT_INTERVAL_MS = 60_000;

/**
 * Whether an unauthenticated mutation of `action` writes its audit row: at most one a minute
 * per action, so a flood of anonymous calls cannot fill the audit table (the rest are logged).
 */
function auditAnonymous(ctx: Context, action: string): boolean {
  let last = anonymousAudited.get(ctx.services);
  if (!last) anonymousAudited.set(ctx.services, (last = new Map()));
  const now = Date.now();
  if (now - (last.get(action) ?? -Infinity) < ANONYMOUS_AUDIT_INTERVAL_MS) return false;
  last.set(action, now);
  return true;
}

/**
 * Writes an audit row for every mutation: ok, denied or failed, with the request id. Refusals
 * of callers without a valid token are the exception: at most one row a minute per action.
 */
const auditMutations = t.middleware(async function auditMutations({ ctx, type, path, next, getRawInput }) {
  if (type !== 'mutation') return next({ ctx: { audit: { teamId: null, target: null } as AuditSlot } });
  const audit: AuditSlot = { teamId: ctx.actor?.teamId ?? null, target: null };
  const result = await next({ ctx: { audit } });
  if (!ctx.actor && !result.ok && result.error.code === 'UNAUTHORIZED' && !auditAnonymous(ctx, path)) {
    ctx.services.logger.warn({ path }, 'unauthenticated mutation refused (audit row suppressed: one a minute per action)');
    return result;
  }
  const target = audit.target ?? describeTarget(await getRawInput().catch(() => undefined));
  const error = result.ok ? undefined : result.error;
  const outcome = result.ok ? 'ok' : error && ['FORBIDDEN', 'UNAUTHORIZED', 'NOT_FOUND'].includes(error.code) ? 'denied' : 'failed';
  const domain = error ? domainErrorOf(error) : undefined;
  await writeAudit(ctx.services.db, {
    actor: ctx.actor?.subject ?? 'anonymous',
    teamId: audit.teamId,
    action: path,
    target,
    result: outcome,
    requestId: ctx.requestId,
    detail: error ? { ...audit.detail, code: domain?.code ?? error.code, message: error.message.slice(0, 500) } : (audit.detail ?? null),
  }).catch((err: unknown) => ctx.services.logger.error({ err, path }, 'audit write failed'));
  return result;
});

/** Domain errors thrown anywhere below become the TRPCError of their code (one table, errors.ts). */
const mapDomainErrors = t.middleware(async function mapDomainErrors({ next }) {
  const result = await next();
  if (!result.ok && result.error.cause instanceof DomainError && result.error.code === 'INTERNAL_SERVER_ERROR') {
    return { ...result, error: toTrpcError(result.error.cause) };
  }
  const unavailable = result.ok ? undefined : databaseUnavailableError(result.error);
  if (!result.ok && unavailable) return { ...result, error: unavailable };
  return result;
});

/** Dotted paths of the strings (keys or values) in `value` that contain U+0000. */
function nulPaths(value: unknown, path: string[] = [], depth = 0): string[] {
  if (typeof value === 'string') return value.includes('\u0000') ? [path.join('.')] : [];
  if (typeof value !== 'object' || value === null || depth > 32) return [];
  return Object.entries(value).flatMap(([k, v]) => [...(k.includes('\u0000') ? [[...path, k].join('.')] : []), ...nulPaths(v, [...path, k], depth + 1)]);
}

/** PostgreSQL text cannot hold U+0000: refuse it in any input as a validation error, not a 500. */
const refuseNulCharacters = t.middleware(async function refuseNulCharacters({ next, getRawInput }) {
  const paths = nulPaths(await getRawInput());
  if (paths.length > 0) throw toTrpcError(validationError(paths.map((path) => ({ path, message: 'must not contain the NUL character (U+0000)' }))));
  return next();
});

/** `__proto__`, `prototype` and `constructor` keys in any input are refused before zod or a walker sees them. */
const refuseReservedKeys = t.middleware(async function refuseReservedKeys({ next, getRawInput }) {
  const found = forbiddenKeyPaths(await getRawInput());
  if (found.length > 0) throw toTrpcError(validationError(found.map((f) => forbiddenKeyIssue(f.path, f.key)), 'rename or remove that key'));
  return next();
});

export const publicProcedure = t.procedure.use(auditMutations).use(mapDomainErrors).use(refuseNulCharacters).use(refuseReservedKeys);

/** Requires a valid, unexpired, unrevoked token. */
export const authedProcedure = publicProcedure.use(function requireActor({ ctx, next }) {
  if (!ctx.actor) {
    throw toTrpcError(new DomainError('UNAUTHENTICATED', 'missing or invalid API token', { hint: 'run `kaas login` or set KAAS_TOKEN to a valid, unexpired token' }));
  }
  return next({ ctx: { actor: ctx.actor as Actor } });
});

/** Requires a platform admin. */
export const adminProcedure = authedProcedure.use(function requirePlatformAdmin({ ctx, next }) {
  if (ctx.actor.role !== 'platform-admin') {
    throw toTrpcError(new DomainError('FORBIDDEN', 'this needs the platform-admin role', { hint: 'ask a platform admin' }));
  }
  return next();
});

/** Loads the team named `name`, or throws NOT_FOUND. */
async function teamByName(ctx: Context, name: string): Promise<TeamRow> {
  const team = await ctx.services.db.selectFrom('teams').selectAll().where('name', '=', name).executeTakeFirst();
  if (!team) throw toTrpcError(new DomainError('NOT_FOUND', `team "${name}" does not exist`, { hint: 'list teams with `kaas teams list`' }));
  return team;
}

/**
 * Resolves the team a request acts for: a member's token implies its team (naming another team
 * is refused); a platform admin must name one with `team`.
 */
export const teamProcedure = authedProcedure.use(async function resolveTeam({ ctx, next, getRawInput }) {
  // a body that cannot be read (too large, not JSON) fails here with its own error
  const raw = (await getRawInput()) as { team?: unknown } | undefined;
  const named = typeof raw?.team === 'string' ? raw.team : undefined;
  let team: TeamRow;
  if (ctx.actor.role === 'platform-admin') {
    if (!named) throw toTrpcError(new DomainError('VALIDATION', 'team: a platform admin must name the team to act for', { hint: 'pass --team TEAM', issues: [{ path: 'team', message: 'required for platform admins' }] }));
    team = await teamByName(ctx, named);
  } else {
    try {
      team = await ownTeam(ctx.services.db, ctx.actor, named);
    } catch (err) {
      throw err instanceof DomainError ? toTrpcError(err) : err;
    }
  }
  ctx.audit.teamId = team.id;
  return next({ ctx: { team } });
});

/** Requires the team-admin role in the resolved team (or a platform admin). */
export const teamAdminProcedure = teamProcedure.use(function requireTeamAdmin({ ctx, next }) {
  if (ctx.actor.role === 'member') {
    throw toTrpcError(new DomainError('FORBIDDEN', 'this needs the team-admin role', { hint: 'ask an admin of your team' }));
  }
  return next();
});

export { TRPCError };
