/** Quota flags shared by `teams create` and `teams set-quota`: --max-clusters, --max-nodes, --allowed-targets, --allowed-templates, --monthly-budget. */
import type { QuotaInput } from '../../api-types.ts';
import { usageError } from '../../errors.ts';

export interface QuotaFlags {
  maxClusters?: string;
  maxNodes?: string;
  allowedTargets?: string;
  allowedTemplates?: string;
  monthlyBudget?: string;
}

/** `500`, `1234.50` → USD per month; `none` → null (removes the budget). */
function budget(value: string): number | null {
  const v = value.trim().replace(/^\$/, '');
  if (v === 'none') return null;
  if (!/^\d+(\.\d{1,2})?$/.test(v)) throw usageError(`--monthly-budget "${value}" must be an amount in USD per month like 500 or 1234.50, or "none"`);
  return Number(v);
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
    ...(flags.monthlyBudget !== undefined ? { monthlyBudget: budget(flags.monthlyBudget) } : {}),
  };
  return Object.keys(quota).length ? quota : undefined;
}
