/** The upgrade plan as people read it: numbered steps, the completed ones marked. */
import { describeUpgradeStep } from '../../platform/upgrade-step.ts';
import type { UpgradePlan } from '../../platform/upgrade-plan.ts';
import { renderTable } from './table.ts';

/** The plan as received over JSON (an addon step's absent `from` is dropped). */
type WirePlan = Omit<UpgradePlan, 'steps'> & { steps: (Omit<UpgradePlan['steps'][number], 'from'> & { from?: string | undefined })[] };

export function upgradePlanText(answer: { plan: WirePlan; startAt: number; operation: { id: string } | null }): string {
  const rows = answer.plan.steps.map((step, i) => ({ n: i + 1, state: i < answer.startAt ? 'done' : answer.operation ? 'queued' : 'planned', step: describeUpgradeStep({ ...step, from: step.from } as UpgradePlan['steps'][number]) }));
  const head = `upgrade ${answer.plan.from} → ${answer.plan.to} via ${answer.plan.hops.join(' → ')}: ${answer.plan.steps.length} step(s)`;
  const tail = answer.operation ? `\noperation ${answer.operation.id} started` : '\nplan only: nothing was started';
  const table = renderTable<(typeof rows)[number]>(
    [
      { header: '#', value: (r) => r.n, align: 'right' },
      { header: 'state', value: (r) => r.state },
      { header: 'step', value: (r) => r.step },
    ],
    rows,
  );
  return `${head}\n${table}${tail}`;
}
