/**
 * Engine adapter vs the plain `pulumi` CLI on the same sim program (bench/plain-cli/program.ts):
 * `up` of a fresh stack, no-op `up`, `preview` and preview-only `refresh`, median of several runs
 * each, run alternately so machine noise hits both sides alike.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Engine } from '../stacks/engine/engine.ts';
import { findPulumiBinDir, nodeModulesDir } from '../stacks/engine/pulumi-cli.ts';
import { simProgram } from '../stacks/sim/program.ts';
import { simSpec } from '../tests/support/specs.ts';
import { compared, median, progress, timeSeconds, type Benchmark, type BenchResult } from './harness.ts';

const RUNS = Number(process.env.KAAS_BENCH_RUNS ?? 5);
const projectDir = fileURLToPath(new URL('./plain-cli/', import.meta.url));

async function* runEngineBench(): AsyncIterable<BenchResult> {
  const binDir = findPulumiBinDir(process.env);
  if (!binDir) throw new Error('the pulumi CLI is not installed: run `npm run setup:pulumi`');
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'kaas-bench-engine-'));
  const backendUrl = pathToFileURL(path.join(home, 'state')).href;
  fs.mkdirSync(path.join(home, 'state'));
  const engine = new Engine({ home, backendUrl, secretsProvider: 'passphrase', passphrase: 'bench', pulumiBinDir: binDir, hostPath: process.env.PATH ?? '' });
  const cliEnv = {
    ...process.env,
    PATH: `${binDir}${path.delimiter}${process.env.PATH}`,
    PULUMI_HOME: path.join(home, 'pulumi'),
    PULUMI_BACKEND_URL: backendUrl,
    PULUMI_CONFIG_PASSPHRASE: 'bench',
    PULUMI_SKIP_UPDATE_CHECK: 'true',
    NODE_PATH: nodeModulesDir(),
    KAAS_BENCH_CLOUD_DIR: path.join(home, 'cli-cloud'),
  };
  const cli = (...args: string[]) => execFileSync('pulumi', [...args, '--non-interactive'], { cwd: projectDir, env: cliEnv, stdio: 'ignore' });
  const target = { stackName: 'engine-bench', program: simProgram(simSpec(), { clusterId: 'c0bench' }, { cloudDir: path.join(home, 'engine-cloud') }) };
  const samples: Record<string, { engine: number[]; cli: number[] }> = {};
  const add = (name: string, side: 'engine' | 'cli', seconds: number) => ((samples[name] ??= { engine: [], cli: [] })[side].push(seconds));
  try {
    cli('stack', 'init', 'cli-bench');
    for (let i = 0; i < RUNS; i++) {
      progress(`engine run ${i + 1}/${RUNS}`);
      add('engine.up', 'engine', await timeSeconds(() => engine.up(target)));
      add('engine.up', 'cli', await timeSeconds(async () => cli('up', '--yes', '--skip-preview', '--stack', 'cli-bench')));
      add('engine.up.noop', 'engine', await timeSeconds(() => engine.up(target)));
      add('engine.up.noop', 'cli', await timeSeconds(async () => cli('up', '--yes', '--skip-preview', '--stack', 'cli-bench')));
      add('engine.preview', 'engine', await timeSeconds(() => engine.preview(target)));
      add('engine.preview', 'cli', await timeSeconds(async () => cli('preview', '--stack', 'cli-bench')));
      add('engine.refresh', 'engine', await timeSeconds(() => engine.refresh(target, { previewOnly: true })));
      add('engine.refresh', 'cli', await timeSeconds(async () => cli('refresh', '--preview-only', '--stack', 'cli-bench')));
      await engine.destroy(target, { remove: false });
      cli('destroy', '--yes', '--skip-preview', '--stack', 'cli-bench');
    }
    for (const [name, s] of Object.entries(samples)) yield compared(name, median(s.engine), median(s.cli));
  } finally {
    fs.rmSync(home, { recursive: true, force: true });
  }
}

export const engineBenchmarks: Benchmark[] = [
  { group: 'engine', names: ['engine.up', 'engine.up.noop', 'engine.preview', 'engine.refresh'], run: runEngineBench },
];
