/**
 * Typed domain errors. Every error a user can cause carries a code from this union, a message
 * that names the problem and, where it helps, a hint naming the fix. The API maps codes to
 * transport codes in one table; the CLI prints message + hint and sets its exit code.
 */
export const DOMAIN_ERROR_CODES = [
  'VALIDATION',
  'NOT_FOUND',
  'FORBIDDEN',
  'UNAUTHENTICATED',
  'CONFLICT',
  'QUOTA_EXCEEDED',
  'PRECONDITION_FAILED',
  'UNSUPPORTED',
  'ENGINE',
] as const;
export type DomainErrorCode = (typeof DOMAIN_ERROR_CODES)[number];

/** One problem with one field of an input. */
export interface FieldIssue {
  /** Dotted path of the field, e.g. `nodePools.0.desiredSize`. */
  path: string;
  message: string;
}

export class DomainError extends Error {
  readonly code: DomainErrorCode;
  readonly hint: string | undefined;
  readonly issues: FieldIssue[];

  constructor(code: DomainErrorCode, message: string, opts: { hint?: string; issues?: FieldIssue[]; cause?: unknown } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'DomainError';
    this.code = code;
    this.hint = opts.hint;
    this.issues = opts.issues ?? [];
  }
}

/** A validation failure listing every field that was wrong. */
export function validationError(issues: FieldIssue[], hint?: string): DomainError {
  const summary = issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; ');
  return new DomainError('VALIDATION', `invalid input: ${summary}`, { issues, ...(hint ? { hint } : {}) });
}

export function isDomainError(err: unknown): err is DomainError {
  return err instanceof DomainError;
}

/**
 * The fix for an issue of a field, by the field's path (its first segment, or the whole path): the
 * input checks (zod schemas) say what is wrong, these say what to do. Checked before `CODE_HINTS`.
 */
const FIELD_HINTS: ReadonlyMap<string, string> = new Map([
  ['name', 'names are lowercase letters, digits and "-", start with a letter and end with a letter or digit, e.g. web-prod'],
  ['operationId', "list the cluster's operation ids with `kaas clusters operations NAME`"],
  ['waves.percentages', 'give per-wave percentages that total 100, e.g. --waves 25,75 (or add --canary N before them)'],
  ['nodePools', 'name a pool the cluster has (listed above), e.g. --set nodePools.general.desiredSize=3'],
  ['confirm', 'repeat the cluster name exactly: kaas clusters delete NAME --confirm NAME'],
  ['toVersion', 'see the versions the cluster can reach with `kaas clusters upgrade NAME --to MAJOR.MINOR --plan`'],
  ['to', 'name a Kubernetes minor version MAJOR.MINOR, e.g. --to 1.33'],
  ['team', 'list teams with `kaas teams list`'],
]);

/**
 * The last resort, one per code, so that no error reaches a user without a next step: the type
 * (a Record over every code) makes a new code without one fail type-checking.
 */
export const CODE_HINTS: Record<DomainErrorCode, string> = {
  VALIDATION: 'fix the input named above and run the command again (add --help for the flags)',
  NOT_FOUND: 'check the name: the list commands show what exists (kaas clusters list, kaas templates list, kaas teams list)',
  FORBIDDEN: 'act for your own team, or ask a platform admin for a token with the role this needs (kaas whoami shows yours)',
  UNAUTHENTICATED: 'run `kaas login --url URL --token TOKEN`, or set KAAS_TOKEN',
  CONFLICT: 'wait for the running operation to finish (kaas clusters get NAME shows it), or use another name',
  QUOTA_EXCEEDED: 'delete a cluster you no longer need, or ask a platform admin to raise the quota (kaas teams set-quota)',
  PRECONDITION_FAILED: "see the cluster's state and what it allows with `kaas clusters get NAME`",
  UNSUPPORTED: 'see what is supported: kaas templates list, kaas targets list',
  ENGINE: "see the operation's full log: kaas clusters events NAME",
};

/** The hint shown with `err`: its own, else the one for its first field issue, else its code's. */
export function hintOf(err: DomainError): string {
  if (err.hint) return err.hint;
  for (const issue of err.issues) {
    const hint = FIELD_HINTS.get(issue.path) ?? FIELD_HINTS.get(issue.path.split('.')[0] ?? '');
    if (hint) return hint;
  }
  return CODE_HINTS[err.code];
}
