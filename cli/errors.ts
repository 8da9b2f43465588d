/**
 * User-facing errors of the CLI: a code, a message, a hint and field issues, and the exit code they
 * set. `toCliError` turns anything thrown (API errors, connection failures) into one; only truly
 * unexpected errors keep a stack, and it is printed only with KAAS_DEBUG=1.
 */
import { EXIT, exitCodeFor, type ExitCode } from './exit-codes.ts';

export interface FieldIssue {
  path: string;
  message: string;
}

export class CliError extends Error {
  readonly code: string;
  readonly exitCode: ExitCode;
  readonly hint: string | undefined;
  readonly issues: FieldIssue[];
  /** The `x-request-id` of the failed request, to quote in bug reports. */
  readonly requestId: string | undefined;

  constructor(code: string, message: string, exitCode: ExitCode, opts: { hint?: string | undefined; issues?: FieldIssue[]; requestId?: string | undefined; cause?: unknown } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'CliError';
    this.code = code;
    this.exitCode = exitCode;
    this.hint = opts.hint;
    this.issues = opts.issues ?? [];
    this.requestId = opts.requestId;
  }
}

/** A usage error: bad flags or arguments (exit 2). */
export function usageError(message: string, hint?: string): CliError {
  return new CliError('USAGE', message, EXIT.USAGE, { hint });
}

/** The shape of `error.data` the kaas API sends with every tRPC error. */
interface ErrorData {
  code?: string;
  httpStatus?: number;
  kaas?: { code?: string; hint?: string; issues?: FieldIssue[] };
}

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_SOCKET']);

/** The first `code` found along an error's cause chain. */
function causeCode(err: unknown): string | undefined {
  for (let e: unknown = err, depth = 0; e && typeof e === 'object' && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && NETWORK_CODES.has(code)) return code;
  }
  return undefined;
}

function isFetchFailure(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e && typeof e === 'object' && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    if (e instanceof TypeError && /fetch failed/i.test(e.message)) return true;
  }
  return false;
}

/** Where the CLI was talking to, for messages. */
export interface ErrorContext {
  url?: string | undefined;
  requestId?: string | undefined;
}

/**
 * Any thrown value as a CliError. A TRPCClientError (recognised by shape, so tests can build one)
 * maps `data.kaas.code` to an exit code; a failed connection maps to exit 7.
 */
export function toCliError(err: unknown, ctx: ErrorContext = {}): CliError {
  if (err instanceof CliError) return err;
  const url = ctx.url ?? 'the configured URL';
  if (causeCode(err) || isFetchFailure(err)) {
    const code = causeCode(err);
    // no request id: the request never reached a server that could have logged it
    return new CliError('UNREACHABLE', `cannot reach the kaas API at ${url}: is the platform running?${code ? ` [${code}]` : ''}`, EXIT.UNREACHABLE, {
      hint: 'start it with `bash scripts/start.sh` (in the kaas checkout), or check the URL with `kaas login --url URL` or KAAS_URL',
      cause: err,
    });
  }
  if (err instanceof Error && err.name === 'TRPCClientError') {
    const data = (err as Error & { data?: ErrorData | null }).data;
    if (!data) {
      // An answer that is not tRPC JSON: something else listens at that URL.
      return new CliError('UNREACHABLE', `the server at ${url} did not answer like the kaas API: ${err.message}`, EXIT.UNREACHABLE, { hint: 'check the URL: it is the platform base URL, without /trpc', requestId: ctx.requestId, cause: err });
    }
    const domainCode = data.kaas?.code;
    const exitCode = exitCodeFor(domainCode, data.code);
    let hint = data.kaas?.hint;
    if (domainCode === 'UNAUTHENTICATED' || data.code === 'UNAUTHORIZED') hint ??= 'run `kaas login --url URL --token TOKEN`, or set KAAS_TOKEN';
    return new CliError(domainCode ?? data.code ?? 'INTERNAL', err.message, exitCode, { hint, issues: data.kaas?.issues ?? [], requestId: ctx.requestId, cause: err });
  }
  const message = err instanceof Error ? err.message : String(err);
  return new CliError('INTERNAL', `unexpected error: ${message}`, EXIT.INTERNAL, { hint: 'this is a bug in kaas: report it with the request id below (KAAS_DEBUG=1 prints the stack)', requestId: ctx.requestId, cause: err });
}

/** The lines printed on stderr for an error: message, field issues, hint, request id. */
export function formatError(error: CliError): string[] {
  const lines = [`error: ${error.message}`];
  for (const issue of error.issues) {
    const text = `${issue.path ? `${issue.path}: ` : ''}${issue.message}`;
    // the API's message already lists the issues when there are few: do not repeat them
    if (!error.message.includes(text) && !error.message.includes(issue.message)) lines.push(`  - ${text}`);
  }
  if (error.hint) lines.push(`hint: ${error.hint}`);
  if (error.requestId) lines.push(`request id: ${error.requestId}`);
  return lines;
}
