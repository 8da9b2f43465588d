/** Keyset cursors of list procedures: `<created_at ISO>|<id>`, newest first. */
import { DomainError } from '../platform/errors.ts';

/** The cursor pointing after a row. */
export function encodeCursor(row: { created_at: Date; id: string }): string {
  return `${row.created_at.toISOString()}|${row.id}`;
}

/** Decodes a cursor returned by `encodeCursor`; throws VALIDATION for anything else. */
export function decodeCursor(value: string): { at: Date; id: string } {
  const [at, id, extra] = value.split('|');
  const date = new Date(at ?? '');
  if (!id || extra !== undefined || Number.isNaN(date.getTime())) {
    throw new DomainError('VALIDATION', 'cursor: not a cursor returned by this API', { hint: 'pass the nextCursor of the previous page, or omit it', issues: [{ path: 'cursor', message: 'invalid' }] });
  }
  return { at: date, id };
}
