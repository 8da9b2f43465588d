/**
 * `kaas clusters plan NAME [--set …]`: start a preview operation and wait for it; returns the spec
 * fields the change would set (values before and after, from the API) and the planned resource
 * steps and change counts from the operation's result.
 */
import type { CostChange, Operation, QuotaVerdict } from '../../api-types.ts';
import type { Api } from '../../client.ts';
import { watchOperation, type WatchHandlers } from '../../watch.ts';

export interface PlannedStep {
  op: string;
  resource: string;
  resourceType: string;
  diffs: string[];
}

/** One spec field the change sets (`platform/spec-diff.ts` over JSON: an absent value is dropped). */
export interface PlannedSpecChange {
  path: string;
  from?: unknown;
  to?: unknown;
}

export interface Plan {
  cluster: string;
  operation: Operation;
  changes: Record<string, number>;
  steps: PlannedStep[];
  /** The spec fields the change sets, with their values before and after. */
  specChanges: PlannedSpecChange[];
  /** The estimated monthly cost before and after the change, with the prices' source and date. */
  cost?: CostChange;
  /** Whether `update` with these changes would pass the team's quota and budget now. */
  quota?: QuotaVerdict;
  /** True when Ctrl-C stopped the wait before the preview ended. */
  interrupted: boolean;
}

export async function startPlan(api: Api, opts: { team?: string | undefined; name: string; set: string[] }): Promise<{ operation: Operation; specChanges: PlannedSpecChange[]; cost: CostChange; quota: QuotaVerdict }> {
  return api.trpc.clusters.plan.mutate({ ...(opts.team ? { team: opts.team } : {}), name: opts.name, set: opts.set });
}

/** The preview's result, read defensively: it is `unknown` in the API type. */
export function planFromOperation(cluster: string, operation: Operation, specChanges: PlannedSpecChange[], interrupted = false, cost?: CostChange, quota?: QuotaVerdict): Plan {
  const result = (operation.result ?? {}) as { changes?: Record<string, number>; steps?: Partial<PlannedStep>[] };
  const steps = (result.steps ?? []).map((s) => ({ op: s.op ?? '', resource: s.resource ?? '', resourceType: s.resourceType ?? '', diffs: s.diffs ?? [] }));
  return { cluster, operation, changes: result.changes ?? {}, steps, specChanges, interrupted, ...(cost ? { cost } : {}), ...(quota ? { quota } : {}) };
}

export async function planCluster(api: Api, opts: { team?: string | undefined; name: string; set: string[] }, watch: Omit<WatchHandlers, 'follow'>): Promise<Plan> {
  const started = await startPlan(api, opts);
  const { operation, interrupted } = await watchOperation(api, { team: opts.team, name: opts.name, operationId: started.operation.id }, watch);
  return planFromOperation(opts.name, operation, started.specChanges, interrupted, started.cost, started.quota);
}
