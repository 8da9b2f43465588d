/** The upgrade plan as people read it: hops, numbered steps (done ones marked), the gate after each, and preflight findings per hop. */
import { describeUpgradeStep } from '../../platform/upgrade-step.ts';
import type { UpgradePlan } from '../../platform/upgrade-plan.ts';
import { renderTable } from './table.ts';

/** The plan as received over JSON (an addon step's absent `from` is dropped). */
type WirePlan = Omit<UpgradePlan, 'steps'> & { steps: (Omit<UpgradePlan['steps'][number], 'from'> & { from?: string | undefined })[] };

/** Preflight and gates of a plan, as `clusters.upgrade` returns them. */
interface WireChecks {
  preflight: { beforeStep: number; nextMinor: string; pools: string[]; blockers: { check: string; message: string }[]; warnings?: { check: string; message: string }[] }[];
  preflightError: string | null;
  gates: { checks: string[]; afterSteps: number[]; timeoutSeconds: number };
  notes: string[];
}

export function upgradePlanText(answer: { plan: WirePlan; startAt: number; operation: { id: string } | null; checks?: WireChecks }): string {
  const checks = answer.checks;
  const gated = new Set(checks?.gates.afterSteps ?? []);
  const preflightAt = new Map((checks?.preflight ?? []).map((p) => [p.beforeStep, p]));
  const rows = answer.plan.steps.map((step, i) => {
    const point = preflightAt.get(i);
    return {
      n: i + 1,
      state: i < answer.startAt ? 'done' : answer.operation ? 'queued' : 'planned',
      preflight: point ? (point.blockers.length > 0 ? `BLOCKED (${point.blockers.length})` : 'ok') : '',
      step: describeUpgradeStep({ ...step, from: step.from } as UpgradePlan['steps'][number]),
      gate: gated.has(i) ? 'health gate' : '',
    };
  });
  const rolls = answer.plan.steps.filter((s) => s.kind === 'node-pool').length;
  const head = `upgrade ${answer.plan.from} → ${answer.plan.to} via ${answer.plan.hops.join(' → ')}: ${answer.plan.steps.length} step(s), ${answer.plan.hops.length} control-plane hop(s), ${rolls} node-pool roll(s)`;
  const table = renderTable<(typeof rows)[number]>(
    [
      { header: '#', value: (r) => r.n, align: 'right' },
      { header: 'state', value: (r) => r.state },
      { header: 'preflight', value: (r) => r.preflight },
      { header: 'step', value: (r) => r.step },
      { header: 'then', value: (r) => r.gate },
    ],
    rows,
  );
  const lines = [head, table];
  if (checks) {
    lines.push(`gates: ${checks.gates.checks.join(', ')} (each within ${checks.gates.timeoutSeconds}s)`);
    const blockers = checks.preflight.flatMap((p) => p.blockers.map((b) => `  before step ${p.beforeStep + 1} (hop to ${p.nextMinor}): ${b.check}: ${b.message}`));
    if (checks.preflightError) lines.push(`preflight: ${checks.preflightError}`);
    else lines.push(blockers.length > 0 ? `preflight findings (a blocked hop is not started; approve with --force after it stops):\n${blockers.join('\n')}` : 'preflight: no findings');
    const warnings = [...new Set(checks.preflight.flatMap((p) => (p.warnings ?? []).map((w) => `  ${w.check}: ${w.message}`)))];
    if (!checks.preflightError && warnings.length > 0) lines.push(`preflight could not check (not blocking):\n${warnings.join('\n')}`);
    for (const note of checks.notes) lines.push(`note: ${note}`);
  }
  lines.push(answer.operation ? `operation ${answer.operation.id} started` : 'plan only: nothing was started');
  return lines.join('\n');
}
