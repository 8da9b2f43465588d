/** AKS pool names (pure: no cloud SDK, so the dispatcher can check them before loading one). */
import { createHash } from 'node:crypto';
import { DomainError } from '../../platform/errors.ts';

/**
 * The AKS name of a spec pool. AKS Linux pool names are 1–12 lowercase alphanumerics starting
 * with a letter (https://learn.microsoft.com/azure/aks/create-node-pools). A name that fits is
 * kept; a longer one keeps 8 characters plus 4 of a hash of the full name, so two long names
 * sharing a prefix stay distinct.
 */
export function aksPoolName(name: string): string {
  let clean = name.toLowerCase().replace(/[^a-z0-9]/g, '');
  if (!/^[a-z]/.test(clean)) clean = `p${clean}`;
  if (clean.length <= 12) return clean;
  return `${clean.slice(0, 8)}${createHash('sha256').update(name).digest('hex').slice(0, 4)}`;
}

/** Refuses pools whose AKS names coincide (e.g. `sys-tem` and `system`), naming both. */
export function assertDistinctPoolNames(names: string[]): void {
  const seen = new Map<string, string>();
  for (const n of names) {
    const aks = aksPoolName(n);
    const other = seen.get(aks);
    if (other !== undefined) {
      throw new DomainError('VALIDATION', `nodePools: pool names "${other}" and "${n}" both become the AKS pool name "${aks}"`, { hint: 'rename one pool so the names differ in their letters and digits' });
    }
    seen.set(aks, n);
  }
}
