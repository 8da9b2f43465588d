/**
 * How many `pulumi` CLI processes one engine operation starts. Every process pays the CLI's start-up,
 * the backend read and (with the passphrase provider) the key derivation, so an operation runs
 * only the ones it needs. Counted honestly: the engine is given a CLI directory whose `pulumi` is
 * a shell shim that logs its arguments and execs the real binary, so every process the Automation
 * API starts is seen, whatever code path starts it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../stacks/engine/engine.ts';
import { EngineError } from '../stacks/engine/engine-error.ts';
import { findPulumiBinDir } from '../stacks/engine/pulumi-cli.ts';
import { simProgram } from '../stacks/sim/program.ts';
import { engineHome, pulumiCliMissing, type EngineHome } from './support/engine.ts';
import { simSpec } from './support/specs.ts';

/** A CLI directory whose `pulumi` logs one line per process into `log`; the other binaries are links. */
function countingCliDir(root: string, realBinDir: string, log: string): string {
  const bin = path.join(root, 'bin');
  fs.mkdirSync(bin, { recursive: true });
  for (const name of fs.readdirSync(realBinDir)) {
    if (name !== 'pulumi') fs.symlinkSync(path.join(realBinDir, name), path.join(bin, name));
  }
  const shim = `#!/bin/sh\nprintf '%s\\n' "$*" >> '${log}'\nexec '${path.join(realBinDir, 'pulumi')}' "$@"\n`;
  fs.writeFileSync(path.join(bin, 'pulumi'), shim, { mode: 0o755 });
  return bin;
}

describe.skipIf(pulumiCliMissing)('pulumi CLI processes per engine operation', () => {
  let h: EngineHome;
  let engine: Engine;
  let log: string;
  const stackName = 'c-cli-calls';
  const target = (spec = simSpec(), expectState = false) => ({ stackName, expectState, program: simProgram(spec, { clusterId: 'c0calls' }, { cloudDir: h.cloudDir }) });

  /** Runs `fn` and returns the CLI invocations it made (first word pair of each, e.g. `stack init`). */
  async function calls<T>(fn: () => Promise<T>): Promise<{ result: T; commands: string[] }> {
    fs.writeFileSync(log, '');
    const result = await fn();
    const commands = fs.readFileSync(log, 'utf8').split('\n').filter(Boolean).filter((l) => l !== 'version');
    return { result, commands };
  }
  const verbs = (commands: string[]) => commands.map((c) => c.split(' ').filter((w) => !w.startsWith('-')).slice(0, c.startsWith('stack') ? 2 : 1).join(' '));

  beforeAll(() => {
    h = engineHome();
    log = path.join(h.home, 'pulumi-calls.log');
    const pulumiBinDir = countingCliDir(path.join(h.home, 'counting-cli'), findPulumiBinDir(process.env)!, log);
    engine = new Engine({ ...h.engine.options, pulumiBinDir });
  });
  afterAll(() => h.cleanup());

  it('a create of a never-applied stack runs `stack init` and `up`, and still returns the outputs and changes', async () => {
    const { result, commands } = await calls(() => engine.up(target()));
    expect(verbs(commands)).toEqual(['stack init', 'up']);
    expect(result.changes.create).toBe(7);
    expect(result.outputs.simulated).toEqual({ value: true, secret: false });
    expect(result.outputs.addons?.value).toEqual(['calico', 'prometheus']);
    // a secret output is flagged; its value is not needed by the worker (it records `[secret]`)
    expect(result.outputs.kubeconfig?.secret).toBe(true);
  });

  it('an update of an applied stack runs `up` only', async () => {
    const spec = simSpec();
    spec.nodePools[1]!.desiredSize = 4;
    const { result, commands } = await calls(() => engine.up(target(spec, true)));
    expect(verbs(commands)).toEqual(['up']);
    expect(result.changes.update).toBe(1);
    expect(result.outputs.nodePools?.value).toMatchObject({ apps: { desiredSize: 4 } });
  });

  it('a retried create (the stack exists, no outputs recorded yet) runs `stack init` (refused) and `up`', async () => {
    const { result, commands } = await calls(() => engine.up(target()));
    expect(verbs(commands)).toEqual(['stack init', 'up']);
    expect(result.outputs.simulated?.value).toBe(true);
  });

  it('a drift check runs one preview-only refresh', async () => {
    const { result, commands } = await calls(() => engine.refresh(target(simSpec(), true), { previewOnly: true }));
    expect(verbs(commands)).toEqual(['refresh']);
    expect(result.drift).toEqual([]);
  });

  it('the kubeconfig read still returns the secret value', async () => {
    const outputs = await engine.outputs(target(simSpec(), true));
    expect(String(outputs.kubeconfig?.value)).toContain('apiVersion');
  });

  it('a delete runs `destroy` and `stack rm`', async () => {
    const { result, commands } = await calls(() => engine.destroy(target(simSpec(), true), { remove: true }));
    expect(verbs(commands)).toEqual(['destroy', 'stack rm']);
    expect(result.changes.delete).toBe(7);
  });

  it('an applied stack missing from the backend is still `state-missing`, found by the operation itself', async () => {
    const { result, commands } = await calls(() => engine.up(target(simSpec(), true)).then(() => 'ran', (err) => err));
    expect(result).toBeInstanceOf(EngineError);
    expect((result as EngineError).kind).toBe('state-missing');
    expect(verbs(commands)).toEqual(['up']);
  });
});
