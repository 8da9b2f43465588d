/**
 * The estimated monthly cost of a cluster spec from a price list: its nodes (machine type ×
 * desired count × 730 hours), the managed control-plane fee (the extended-support fee while its
 * Kubernetes minor is in extended support) and one load balancer when the ingress addon is on.
 * Whatever cannot be priced (no price list for the region, a machine type missing from it) is a
 * line item marked unpriced and listed in `unpriced`, never a silent $0. Pure.
 */
import type { ClusterSpec } from './cluster-spec.ts';
import type { PriceList } from './price-list.ts';

/** Hours in a month as the clouds' price pages count them (24 × 365 / 12). */
export const HOURS_PER_MONTH = 730;

/** One priced (or unpriced) part of an estimate. */
export interface CostLine {
  kind: 'nodes' | 'control-plane' | 'load-balancer';
  /** What it is, e.g. `nodePools.general: 3 × m6i.large`. */
  item: string;
  quantity: number;
  /** USD per hour of one unit; null when unpriced. */
  hourly: number | null;
  /** USD per month of the line; null when unpriced. */
  monthly: number | null;
  /** Why a line is unpriced, or what its price means. */
  note?: string;
}

/** Where the prices came from, as the estimate repeats it. */
export interface PriceSource {
  cloud: string;
  region: string;
  version: number;
  date: string;
  source: string;
}

/** An estimate: the total of the priced lines, and what could not be priced. */
export interface CostEstimate {
  currency: 'USD';
  /** Sum of the priced lines, USD per month, rounded to cents. */
  monthly: number;
  /** True when every line was priced. */
  complete: boolean;
  lines: CostLine[];
  /** What could not be priced (`machine type m7g.large in aws us-east-1`), empty when complete. */
  unpriced: string[];
  /** The price list used; null when the region has none. */
  prices: PriceSource | null;
}

/** The support phase of the spec's control-plane minor, from the version calendar. */
export type ControlPlaneSupport = 'standard' | 'extended';

const cents = (n: number): number => Math.round(n * 100) / 100;

/** Estimates `spec` with `prices` (undefined: no price list for its cloud and region). */
export function estimateMonthlyCost(spec: ClusterSpec, prices: PriceList | undefined, support: ControlPlaneSupport): CostEstimate {
  const { cloud, region } = spec.target;
  const where = `${cloud} ${region}`;
  const lines: CostLine[] = [];
  const unpriced: string[] = [];
  const line = (kind: CostLine['kind'], item: string, quantity: number, unit: number | undefined, missing: string, note?: string): void => {
    if (unit === undefined) {
      unpriced.push(missing);
      lines.push({ kind, item, quantity, hourly: null, monthly: null, note: `unpriced: no price for ${missing}` });
      return;
    }
    lines.push({ kind, item, quantity, hourly: unit, monthly: cents(unit * quantity * HOURS_PER_MONTH), ...(note ? { note } : {}) });
  };

  for (const pool of spec.nodePools) {
    if (pool.desiredSize === 0) continue;
    const unit = prices ? priceOf(prices.machineTypes, pool.machineType) : undefined;
    line('nodes', `nodePools.${pool.name}: ${pool.desiredSize} × ${pool.machineType}`, pool.desiredSize, unit, `machine type ${pool.machineType} in ${where}`);
  }
  const fee = prices ? prices.controlPlane[support] : undefined;
  line('control-plane', `control plane (${support} support, Kubernetes ${spec.kubernetesVersion})`, 1, fee, `the control plane in ${where}`, support === 'extended' ? 'extended-support fee: upgrade to a minor in standard support to drop it' : undefined);
  if (spec.addons.ingress?.enabled === true) {
    line('load-balancer', `ingress: 1 × ${prices?.loadBalancer.kind ?? 'load balancer'}`, 1, prices?.loadBalancer.hourly, `a load balancer in ${where}`, 'hourly charge only; traffic (LCU, data processed) not included');
  }
  if (!prices) unpriced.unshift(`no price list for ${where} (add pricing/${cloud}/${region}.yaml)`);

  const monthly = cents(lines.reduce((sum, l) => sum + (l.monthly ?? 0), 0));
  const source = prices ? { cloud: prices.cloud, region: prices.region, version: prices.version, date: prices.date, source: prices.source } : null;
  return { currency: 'USD', monthly, complete: unpriced.length === 0, lines, unpriced: [...new Set(unpriced)], prices: source };
}

/** A machine type's price; the record has no prototype, but `in` guards a plain object too. */
function priceOf(table: Record<string, number>, machineType: string): number | undefined {
  return Object.prototype.hasOwnProperty.call(table, machineType) ? table[machineType] : undefined;
}

/** USD with cents and thousands separators: `$1,234.50`. */
export function formatUsd(amount: number): string {
  return `$${amount.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}

/**
 * The one-line summary people read under plan, create and update:
 * `estimated cost: $312.40/month (aws us-east-1 prices of 2026-11-15 from https://…)`, with what
 * is unpriced when the estimate is incomplete.
 */
export function costSummary(estimate: CostEstimate): string {
  const from = estimate.prices ? `${estimate.prices.cloud} ${estimate.prices.region} prices of ${estimate.prices.date} from ${estimate.prices.source}` : 'no price list';
  const missing = estimate.complete ? '' : `; NOT PRICED: ${estimate.unpriced.join('; ')} (the total leaves them out)`;
  return `estimated cost: ${formatUsd(estimate.monthly)}/month${estimate.complete ? '' : ' or more'} (${from})${missing}`;
}

/** `before → after` for an update or plan: `estimated cost: $100.00/month → $150.00/month (+$50.00) (…)`. */
export function costChangeSummary(before: CostEstimate, after: CostEstimate): string {
  const delta = cents(after.monthly - before.monthly);
  const sign = delta > 0 ? '+' : delta < 0 ? '-' : '±';
  const after1 = costSummary(after).replace(/^estimated cost: \$[\d,.]+\/month( or more)? /, '');
  const more = (e: CostEstimate) => (e.complete ? '' : ' or more');
  return `estimated cost: ${formatUsd(before.monthly)}/month${more(before)} → ${formatUsd(after.monthly)}/month${more(after)} (${sign}${formatUsd(Math.abs(delta))}) ${after1}`;
}
