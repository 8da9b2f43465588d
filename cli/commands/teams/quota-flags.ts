/** Quota flags shared by `teams create` and `teams set-quota`: --max-clusters, --max-nodes, --allowed-targets, --allowed-templates. */
import { usageError } from '../../errors.ts';
import type { Quota } from '../../list-shape.ts';

export interface QuotaFlags {
  maxClusters?: string;
  maxNodes?: string;
  allowedTargets?: string;
  allowedTemplates?: string;
}

function count(flag: string, value: string): number {
  if (!/^\d+$/.test(value)) throw usageError(`${flag} "${value}" must be a whole number`);
  return Number(value);
}

/** `a,b` → ['a','b']; `any` → null (no restriction). */
function list(value: string): string[] | null {
  if (value.trim() === 'any') return null;
  return value.split(',').map((s) => s.trim()).filter(Boolean);
}

/** The quota the flags describe; undefined when no quota flag was given. */
export function quotaFromFlags(flags: QuotaFlags): Quota | undefined {
  const quota: Quota = {
    ...(flags.maxClusters !== undefined ? { maxClusters: count('--max-clusters', flags.maxClusters) } : {}),
    ...(flags.maxNodes !== undefined ? { maxTotalNodes: count('--max-nodes', flags.maxNodes) } : {}),
    ...(flags.allowedTargets !== undefined ? { allowedTargets: list(flags.allowedTargets) } : {}),
    ...(flags.allowedTemplates !== undefined ? { allowedTemplates: list(flags.allowedTemplates) } : {}),
  };
  return Object.keys(quota).length ? quota : undefined;
}
