/**
 * `npm run bench -- scale [--clusters N] [--teams N] [--samples N] [--creates N] [--concurrency 1,4,8] [--rounds N] [--only list,engine,ops]`:
 * the platform at production scale, ratios side by side in one run. Reads at 10,000 clusters
 * (bench/scale-list.ts), the CPU of one create and one drift check against main's sequence and
 * the plain CLI (bench/scale-engine.ts), and throughput at several worker concurrencies
 * (bench/scale-ops.ts). The defaults finish in a few minutes on 2 cores; raise them with flags.
 */
import type { Benchmark, BenchResult } from './harness.ts';
import { runEngineScale } from './scale-engine.ts';
import { runListScale } from './scale-list.ts';
import { runOpsScale } from './scale-ops.ts';

/** The benchmark's sizes from `--name value` flags after the prefix. */
export function scaleFlags(argv: string[]) {
  const known = new Set(['clusters', 'teams', 'samples', 'creates', 'concurrency', 'rounds', 'only']);
  const flags = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const m = /^--([a-z]+)$/.exec(argv[i]!);
    if (!m || !known.has(m[1]!) || argv[i + 1] === undefined) throw new Error(`scale: unknown or incomplete flag "${argv[i]}"; known: ${[...known].map((k) => `--${k} <value>`).join(', ')}`);
    flags.set(m[1]!, argv[++i]!);
  }
  const int = (name: string, fallback: number) => {
    const v = flags.has(name) ? Number(flags.get(name)) : fallback;
    if (!Number.isInteger(v) || v < 1) throw new Error(`scale: --${name} must be a positive integer, got "${flags.get(name)}"`);
    return v;
  };
  const concurrency = (flags.get('concurrency') ?? '1,4,8').split(',').map(Number);
  if (concurrency.some((c) => !Number.isInteger(c) || c < 1 || c > 64)) throw new Error(`scale: --concurrency takes integers 1–64 separated by commas, got "${flags.get('concurrency')}"`);
  const parts = (flags.get('only') ?? 'list,engine,ops').split(',');
  const unknownPart = parts.find((p) => !['list', 'engine', 'ops'].includes(p));
  if (unknownPart !== undefined) throw new Error(`scale: --only takes list, engine and ops separated by commas, got "${unknownPart}"`);
  return { parts: new Set(parts), clusters: int('clusters', 10_000), teams: int('teams', 50), samples: int('samples', 100), creates: int('creates', 8), concurrency, rounds: int('rounds', 3) };
}

async function* runScale(): AsyncIterable<BenchResult> {
  const flags = scaleFlags(process.argv.slice(3));
  if (flags.parts.has('list')) yield* runListScale(flags);
  if (flags.parts.has('engine')) yield* runEngineScale(flags);
  if (flags.parts.has('ops')) yield* runOpsScale(flags);
}

const NAMES = ['scale.list.admin.p99', 'scale.list.admin.deep.p99', 'scale.list.member.p99', 'scale.list.member.deep.p99', 'scale.list.search.p99', 'scale.fleet.overview.p99', 'scale.get.p99', 'scale.fleet.plan', 'scale.create.cpu', 'scale.create.vs_plain_up', 'scale.create.cli_processes', 'scale.drift.check.cpu', 'scale.drift.clusters_per_worker_1h', 'scale.drift.clusters_per_worker_6h', 'scale.overhead'];

export const scaleBenchmarks: Benchmark[] = [{ group: 'scale', names: NAMES, run: runScale }];
