/**
 * `scale.create.*` and `scale.drift.*`: what one sim create and one drift check cost, in CPU
 * seconds of the whole process tree (this process with the inline program, every `pulumi` run
 * and its plugins), counted with a logging `pulumi` shim for the number of CLI processes.
 * Side by side in one run, alternating so machine noise hits every side alike:
 * - `before`: main's sequence, the Automation API used as main's engine used it
 *   (`Stack.createOrSelect` / `Stack.select`, then `up` / `previewRefresh`, which run
 *   `stack select`, `stack init`, `up`, `stack output` ×2 and `stack history`);
 * - `after`: the engine adapter (stacks/engine/engine.ts);
 * - `plain`: the plain `pulumi up` of the same program (bench/plain-cli), the goal's yardstick.
 * A 2-core worker's drift capacity follows: clusters = 2 cores × interval ÷ CPU of one check.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { LocalWorkspace, PulumiCommand, Stack, type PulumiFn } from '@pulumi/pulumi/automation/index.js';
import { Engine, PROJECT_NAME, type EngineOptions } from '../stacks/engine/engine.ts';
import { findPulumiBinDir, nodeModulesDir } from '../stacks/engine/pulumi-cli.ts';
import { simProgram } from '../stacks/sim/program.ts';
import { simSpec } from '../tests/support/specs.ts';
import { median, progress, type BenchResult } from './harness.ts';
import { selfCpuSeconds } from './scale-proc.ts';

const projectDir = fileURLToPath(new URL('./plain-cli/', import.meta.url));
const WORKER_CORES = 2;

/** A CLI directory whose `pulumi` appends one line per process to `log`, then execs the real one. */
function countingCli(root: string, realBin: string, log: string): string {
  const bin = path.join(root, 'bin');
  fs.mkdirSync(bin, { recursive: true });
  for (const name of fs.readdirSync(realBin)) if (name !== 'pulumi') fs.symlinkSync(path.join(realBin, name), path.join(bin, name));
  fs.writeFileSync(path.join(bin, 'pulumi'), `#!/bin/sh\nprintf '%s\\n' "$*" >> '${log}'\nexec '${path.join(realBin, 'pulumi')}' "$@"\n`, { mode: 0o755 });
  return bin;
}

const commands = new Map<string, Promise<PulumiCommand>>();

/** Main's workspace for a stack: the same settings main's engine gave LocalWorkspace (its `pulumi version` probe cached per engine, as main's was). */
async function mainWorkspace(o: EngineOptions, workDir: string, program: PulumiFn): Promise<LocalWorkspace> {
  fs.mkdirSync(workDir, { recursive: true });
  if (!commands.has(o.pulumiBinDir!)) commands.set(o.pulumiBinDir!, PulumiCommand.get({ root: path.dirname(o.pulumiBinDir!) }));
  const pulumiCommand = await commands.get(o.pulumiBinDir!)!;
  return LocalWorkspace.create({
    workDir,
    pulumiHome: path.join(o.home, 'pulumi'),
    pulumiCommand,
    program,
    secretsProvider: o.secretsProvider,
    projectSettings: { name: PROJECT_NAME, runtime: 'nodejs', backend: { url: o.backendUrl } },
    envVars: {
      PULUMI_SKIP_UPDATE_CHECK: 'true',
      PULUMI_BACKEND_URL: o.backendUrl,
      NODE_PATH: nodeModulesDir(),
      PATH: `${o.pulumiBinDir}${path.delimiter}${path.dirname(process.execPath)}${path.delimiter}${o.hostPath ?? ''}`,
      PULUMI_CONFIG_PASSPHRASE: o.passphrase!,
    },
  });
}

export interface EngineScale {
  rounds: number;
}

export async function* runEngineScale(scale: EngineScale): AsyncIterable<BenchResult> {
  const realBin = findPulumiBinDir(process.env);
  if (!realBin) throw new Error('the pulumi CLI is not installed: run `npm run setup:pulumi`');
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'kaas-bench-scale-engine-'));
  const log = path.join(home, 'pulumi-calls.log');
  fs.writeFileSync(log, '');
  const binDir = countingCli(path.join(home, 'cli'), realBin, log);
  const backendUrl = pathToFileURL(path.join(home, 'state')).href;
  const options: EngineOptions = { home, backendUrl, secretsProvider: 'passphrase', passphrase: 'bench', pulumiBinDir: binDir, hostPath: process.env.PATH ?? '' };
  const engine = new Engine(options);
  const cloudDir = path.join(home, 'cloud');
  const program = (id: string) => simProgram(simSpec(), { clusterId: id }, { cloudDir });
  const cliEnv = { ...process.env, PATH: `${binDir}${path.delimiter}${process.env.PATH}`, PULUMI_HOME: path.join(home, 'pulumi'), PULUMI_BACKEND_URL: backendUrl, PULUMI_CONFIG_PASSPHRASE: 'bench', PULUMI_SKIP_UPDATE_CHECK: 'true', NODE_PATH: nodeModulesDir(), KAAS_BENCH_CLOUD_DIR: path.join(home, 'cli-cloud') };
  const cli = (...args: string[]) => execFileSync('pulumi', [...args, '--non-interactive'], { cwd: projectDir, env: cliEnv, stdio: 'ignore' });

  const lines = () => fs.readFileSync(log, 'utf8').split('\n').filter((l) => l && l !== 'version').length;
  /** CPU seconds and CLI processes of one call. */
  const measure = async (fn: () => Promise<unknown> | unknown) => {
    const calls = lines();
    const cpu = selfCpuSeconds();
    await fn();
    return { cpu: selfCpuSeconds() - cpu, processes: lines() - calls };
  };
  const samples: Record<string, { cpu: number[]; processes: number[] }> = {};
  const add = (name: string, m: { cpu: number; processes: number }) => {
    const s = (samples[name] ??= { cpu: [], processes: [] });
    s.cpu.push(m.cpu);
    s.processes.push(m.processes);
  };
  try {
    cli('stack', 'init', 'cli-bench');
    await engine.up({ stackName: 'warm-up', program: program('c0warm') }); // first run: plugin cache, JIT, the CLI's version probe
    await mainWorkspace(options, path.join(home, 'main-workspaces', 'warm-up'), program('c0warm'));
    const drifted = { stackName: 'drift-check', program: program('c0drift'), expectState: true };
    await engine.up({ ...drifted, expectState: false });
    for (let i = 0; i < scale.rounds; i++) {
      progress(`scale.create: round ${i + 1}/${scale.rounds} (main's sequence, engine, plain pulumi up)`);
      const before = { stackName: `before-${i}`, program: program(`c0before${i}`) };
      add('create.before', await measure(async () => {
        const stack = await Stack.createOrSelect(before.stackName, await mainWorkspace(options, path.join(home, 'main-workspaces', before.stackName), before.program));
        await stack.up({ onEvent: () => {} });
      }));
      await engine.destroy({ ...before, expectState: true }, { remove: true });
      const after = { stackName: `after-${i}`, program: program(`c0after${i}`) };
      add('create.after', await measure(() => engine.up(after)));
      await engine.destroy({ ...after, expectState: true }, { remove: true });
      add('create.plain', await measure(() => cli('up', '--yes', '--skip-preview', '--stack', 'cli-bench')));

      progress(`scale.drift: round ${i + 1}/${scale.rounds}`);
      add('drift.before', await measure(async () => {
        const stack = await Stack.select(drifted.stackName, await mainWorkspace(options, path.join(home, 'main-workspaces', drifted.stackName), drifted.program));
        await stack.previewRefresh({ onEvent: () => {} });
      }));
      add('drift.after', await measure(() => engine.refresh(drifted, { previewOnly: true })));
      add('drift.plain', await measure(() => cli('refresh', '--preview-only', '--stack', 'cli-bench')));
      cli('destroy', '--yes', '--skip-preview', '--stack', 'cli-bench');
    }
    const m = (name: string) => median(samples[name]!.cpu);
    const n = (name: string) => median(samples[name]!.processes);
    const r = (x: number, d = 3) => Math.round(x * 10 ** d) / 10 ** d;
    yield { name: 'scale.create.cpu', value: r(m('create.after')), unit: 'cpu-s', baseline: r(m('create.before')), ratio: r(m('create.after') / m('create.before')), detail: `after vs main's sequence, median of ${scale.rounds}` };
    yield { name: 'scale.create.vs_plain_up', value: r(m('create.after') / m('create.plain')), unit: 'x', baseline: r(m('create.before') / m('create.plain')), detail: `CPU of a create ÷ CPU of a plain \`pulumi up\` of the same program (${r(m('create.plain'))} cpu-s); baseline: main's sequence; goal ≤ 1.2` };
    yield { name: 'scale.create.cli_processes', value: n('create.after'), unit: 'processes', baseline: n('create.before'), detail: 'pulumi CLI processes per create (a plain up is 1)' };
    const check = m('drift.after');
    const checkBefore = m('drift.before');
    yield { name: 'scale.drift.check.cpu', value: r(check), unit: 'cpu-s', baseline: r(checkBefore), ratio: r(check / checkBefore), detail: `one preview-only refresh of a ready sim cluster; ${n('drift.after')} CLI process(es), main ${n('drift.before')}; plain \`pulumi refresh --preview-only\` ${r(m('drift.plain'))} cpu-s` };
    const capacity = (cpu: number, hours: number) => Math.floor((WORKER_CORES * hours * 3600) / cpu);
    yield { name: 'scale.drift.clusters_per_worker_1h', value: capacity(check, 1), unit: 'clusters', baseline: capacity(checkBefore, 1), ratio: r(capacity(check, 1) / capacity(checkBefore, 1)), detail: `${WORKER_CORES} cores × 3600 s ÷ CPU of one check; baseline: main` };
    yield { name: 'scale.drift.clusters_per_worker_6h', value: capacity(check, 6), unit: 'clusters', baseline: capacity(checkBefore, 6), ratio: r(capacity(check, 6) / capacity(checkBefore, 6)) };
  } finally {
    fs.rmSync(home, { recursive: true, force: true });
  }
}
