/** The hash an approval request stores of what will be done: SHA-256 over its canonical JSON. */
import crypto from 'node:crypto';
import { canonicalJson } from '../../platform/canonical-json.ts';

/** Equal plans give equal hashes, whatever their key order. */
export function planHash(plan: unknown): string {
  return crypto.createHash('sha256').update(canonicalJson(plan)).digest('hex');
}
