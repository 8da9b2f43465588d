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
