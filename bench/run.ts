/**
 * `npm run bench [-- PREFIX [FLAGS]]`: runs the benchmarks whose name starts with PREFIX (all without one)
 * and prints one JSON object per line: {"name", "value", "unit", "baseline"?, "ratio"?}.
 * Benchmarks are not tests: they measure, side by side in one run, and never assert on time.
 */
import { apiBenchmarks } from './api.ts';
import { cliBenchmarks } from './cli.ts';
import { engineBenchmarks } from './engine.ts';
import { fleetBenchmarks } from './fleet.ts';
import { scaleBenchmarks } from './scale.ts';
import type { Benchmark } from './harness.ts';
import { webBenchmarks } from './web.ts';

const all: Benchmark[] = [...engineBenchmarks, ...apiBenchmarks, ...fleetBenchmarks, ...cliBenchmarks, ...webBenchmarks];
// run only when asked for by name (`npm run bench -- scale`): minutes long, with its own size flags
const byName: Benchmark[] = scaleBenchmarks;
const prefix = process.argv[2] ?? '';
const selected = (prefix ? [...all, ...byName] : all).filter((b) => b.names.some((n) => n.startsWith(prefix)) || b.group.startsWith(prefix));
if (selected.length === 0) {
  process.stderr.write(`no benchmark starts with "${prefix}"; known: ${[...all, ...byName].flatMap((b) => b.names).join(', ')}\n`);
  process.exit(2);
}
for (const bench of selected) {
  for await (const result of bench.run()) {
    if (!result.name.startsWith(prefix) && !bench.group.startsWith(prefix)) continue;
    process.stdout.write(JSON.stringify(result) + '\n');
  }
}
