/**
 * `npm run bench [-- PREFIX]`: runs the benchmarks whose name starts with PREFIX (all without one)
 * and prints one JSON object per line: {"name", "value", "unit", "baseline"?, "ratio"?}.
 * Benchmarks are not tests: they measure, side by side in one run, and never assert on time.
 */
import { apiBenchmarks } from './api.ts';
import { cliBenchmarks } from './cli.ts';
import { engineBenchmarks } from './engine.ts';
import { fleetBenchmarks } from './fleet.ts';
import type { Benchmark } from './harness.ts';
import { webBenchmarks } from './web.ts';

const all: Benchmark[] = [...engineBenchmarks, ...apiBenchmarks, ...fleetBenchmarks, ...cliBenchmarks, ...webBenchmarks];
const prefix = process.argv[2] ?? '';
const selected = all.filter((b) => b.names.some((n) => n.startsWith(prefix)) || b.group.startsWith(prefix));
if (selected.length === 0) {
  process.stderr.write(`no benchmark starts with "${prefix}"; known: ${all.flatMap((b) => b.names).join(', ')}\n`);
  process.exit(2);
}
for (const bench of selected) {
  for await (const result of bench.run()) {
    if (!result.name.startsWith(prefix) && !bench.group.startsWith(prefix)) continue;
    process.stdout.write(JSON.stringify(result) + '\n');
  }
}
