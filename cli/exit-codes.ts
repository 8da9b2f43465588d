/**
 * The CLI's exit codes, in one place: what each means, which API error codes lead to it, and the
 * text `kaas --help` prints.
 */

export const EXIT = {
  OK: 0,
  /** The cluster operation the command waited for ended `failed` (or `cancelled`), or a watched fleet campaign halted. */
  OPERATION_FAILED: 1,
  /** Bad flags or arguments, or input the API rejected as invalid (a wrong `--confirm` too, typed or at the prompt). */
  USAGE: 2,
  NOT_FOUND: 3,
  /** Missing, invalid or insufficient credentials. */
  FORBIDDEN: 4,
  /** Conflict or unmet precondition: a busy cluster, deletion protection, a name taken. */
  CONFLICT: 5,
  QUOTA_EXCEEDED: 6,
  /** The API could not be reached (or did not answer like the kaas API). */
  UNREACHABLE: 7,
  /** The API answered "database unavailable" (its PostgreSQL is down or restarting): retry later. */
  UNAVAILABLE: 8,
  /** `--timeout` ran out while waiting: the operation goes on on the server. */
  TIMEOUT: 9,
  INTERNAL: 10,
  /** Ctrl-C while watching an operation: the operation goes on on the server. */
  INTERRUPTED: 130,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** Exit code for an API error, by the domain code in `error.data.kaas.code`. */
const BY_DOMAIN_CODE: Record<string, ExitCode> = {
  VALIDATION: EXIT.USAGE,
  UNSUPPORTED: EXIT.USAGE,
  NOT_FOUND: EXIT.NOT_FOUND,
  FORBIDDEN: EXIT.FORBIDDEN,
  UNAUTHENTICATED: EXIT.FORBIDDEN,
  CONFLICT: EXIT.CONFLICT,
  PRECONDITION_FAILED: EXIT.CONFLICT,
  QUOTA_EXCEEDED: EXIT.QUOTA_EXCEEDED,
  ENGINE: EXIT.INTERNAL,
  UNAVAILABLE: EXIT.UNAVAILABLE,
  INTERNAL: EXIT.INTERNAL,
};

/** Fallback by tRPC code, for errors without kaas data (e.g. an unknown procedure). */
const BY_TRPC_CODE: Record<string, ExitCode> = {
  BAD_REQUEST: EXIT.USAGE,
  PARSE_ERROR: EXIT.USAGE,
  METHOD_NOT_SUPPORTED: EXIT.USAGE,
  PAYLOAD_TOO_LARGE: EXIT.USAGE,
  UNPROCESSABLE_CONTENT: EXIT.USAGE,
  NOT_FOUND: EXIT.NOT_FOUND,
  UNAUTHORIZED: EXIT.FORBIDDEN,
  FORBIDDEN: EXIT.FORBIDDEN,
  CONFLICT: EXIT.CONFLICT,
  PRECONDITION_FAILED: EXIT.CONFLICT,
  TOO_MANY_REQUESTS: EXIT.CONFLICT,
  SERVICE_UNAVAILABLE: EXIT.UNAVAILABLE,
};

/** The exit code for an API error's domain code, else its tRPC code, else INTERNAL. */
export function exitCodeFor(domainCode: string | undefined, trpcCode?: string): ExitCode {
  return (domainCode !== undefined ? BY_DOMAIN_CODE[domainCode] : undefined) ?? (trpcCode !== undefined ? BY_TRPC_CODE[trpcCode] : undefined) ?? EXIT.INTERNAL;
}

/** The exit-code table printed after `kaas --help`. */
export const EXIT_CODES_HELP = `Exit codes:
  0    ok
  1    the cluster operation ended failed (or cancelled), or a watched campaign halted
  2    usage or validation error (also a wrong --confirm, a --to the cluster cannot reach)
  3    not found
  4    forbidden or unauthenticated (run \`kaas login\`)
  5    conflict or precondition (busy cluster, deletion protection, name taken)
  6    quota exceeded
  7    cannot reach the API
  8    database unavailable (the platform's PostgreSQL is down or restarting): retry later
  9    --timeout ran out while waiting (the operation goes on on the server)
  10   internal error
  130  interrupted while watching (the operation goes on on the server)`;
