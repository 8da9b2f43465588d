/** Keyset cursors of list procedures: `<created_at ISO>|<id>`, newest first. */
import { DomainError } from '../platform/errors.ts';

/** The cursor pointing after a row. */
export function encodeCursor(row: { created_at: Date; id: string }): string {
  return `${row.created_at.toISOString()}|${row.id}`;
}

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const ID = /^[a-z][a-z0-9]{12}$/;

/** Decodes a cursor returned by `encodeCursor`; throws VALIDATION for anything else. */
export function decodeCursor(value: string): { at: Date; id: string } {
  const [at, id, extra] = value.split('|');
  const date = new Date(at ?? '');
  // toISOString's own shape: 4-digit years only, which PostgreSQL timestamps can all hold
  if (!id || !ID.test(id) || extra !== undefined || !ISO_INSTANT.test(at ?? '') || Number.isNaN(date.getTime())) {
    throw new DomainError('VALIDATION', 'cursor: not a cursor returned by this API', { hint: 'pass the nextCursor of the previous page, or omit it', issues: [{ path: 'cursor', message: 'invalid' }] });
  }
  return { at: date, id };
}
