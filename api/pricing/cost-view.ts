/**
 * What the API returns about cost: the estimate with its one-line summary (the same text the CLI
 * prints), and for plan and update the estimate before and after the change.
 */
import { costChangeSummary, costSummary, type CostEstimate } from '../../platform/cost-estimate.ts';

export type CostView = CostEstimate & { summary: string };

export interface CostChangeView {
  before: CostView;
  after: CostView;
  /** USD per month the change adds (negative: saves). */
  delta: number;
  summary: string;
}

export function costView(estimate: CostEstimate): CostView {
  return { ...estimate, summary: costSummary(estimate) };
}

export function costChangeView(before: CostEstimate, after: CostEstimate): CostChangeView {
  return { before: costView(before), after: costView(after), delta: Math.round((after.monthly - before.monthly) * 100) / 100, summary: costChangeSummary(before, after) };
}
