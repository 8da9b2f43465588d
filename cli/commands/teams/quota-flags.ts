/** Quota flags shared by `teams create` and `teams set-quota`: --max-clusters, --max-nodes, --allowed-targets, --allowed-templates. */
import type { QuotaInput } from '../../api-types.ts';
import { usageError } from '../../errors.ts';

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

/** `a,b` → ['a','b']; `any` (or `*`) → '*' (no restriction); `none` or empty → [] (nothing allowed). */
function list(value: string): string[] | '*' {
  const v = value.trim();
  if (v === 'any' || v === '*') return '*';
  if (v === 'none') return [];
  return v.split(',').map((s) => s.trim()).filter(Boolean);
}

/** The quota the flags describe; undefined when no quota flag was given. */
export function quotaFromFlags(flags: QuotaFlags): QuotaInput | undefined {
  const quota: QuotaInput = {
    ...(flags.maxClusters !== undefined ? { maxClusters: count('--max-clusters', flags.maxClusters) } : {}),
    ...(flags.maxNodes !== undefined ? { maxTotalNodes: count('--max-nodes', flags.maxNodes) } : {}),
    ...(flags.allowedTargets !== undefined ? { allowedTargets: list(flags.allowedTargets) } : {}),
    ...(flags.allowedTemplates !== undefined ? { allowedTemplates: list(flags.allowedTemplates) } : {}),
  };
  return Object.keys(quota).length ? quota : undefined;
}
