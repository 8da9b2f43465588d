/** The benchmark contract and small timing helpers. */
export interface BenchResult {
  name: string;
  value: number;
  unit: string;
  /** The baseline's value, or why there is none (e.g. `kubectl unavailable`). */
  baseline?: number | string;
  ratio?: number;
  /** A short text that explains the figure (e.g. the query plan behind a latency). */
  detail?: string;
}

export interface Benchmark {
  /** Prefix shared by its results, e.g. `engine`. */
  group: string;
  /** The result names it prints. */
  names: string[];
  run(): AsyncIterable<BenchResult>;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export async function timeSeconds(fn: () => Promise<unknown>): Promise<number> {
  const start = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - start) / 1e9;
}

/** A result with its baseline and ratio, rounded for reading. */
export function compared(name: string, value: number, baseline: number, unit = 's'): BenchResult {
  const round = (n: number) => Math.round(n * 1000) / 1000;
  return { name, value: round(value), unit, baseline: round(baseline), ratio: round(value / baseline) };
}

export function progress(message: string): void {
  process.stderr.write(`bench: ${message}\n`);
}

/** The p-th percentile (0–100) of samples, nearest rank. */
export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}
