/** A rollback plan as people read it: each pool, the version it returns to and the phases. */
import type { RollbackPlan } from '../../platform/blue-green-plan.ts';

export function rollbackPlanText(answer: { plan: RollbackPlan; notes: string[]; operation: { id: string } | null }): string {
  const lines = answer.plan.pools.map((p) => `node pool ${p.name}: ${p.from} → ${p.to} (${p.phases.join(', ')})`);
  for (const note of answer.notes) lines.push(`note: ${note}`);
  lines.push(answer.operation ? `operation ${answer.operation.id} started` : 'plan only: nothing was started');
  return lines.join('\n');
}
