/**
 * The root Pulumi project: `pulumi` run from the repository root builds one cluster's stack with
 * the worker's program (break-glass).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import * as pulumi from '@pulumi/pulumi';
import { clusterIdOfStack, readHibernatedFlag, readSpecFile, settingsFromStackConfig } from '../stacks/break-glass-settings.ts';
import { PROJECT_NAME } from '../stacks/engine/engine.ts';
import { findPulumiBinDir, nodeModulesDir } from '../stacks/engine/pulumi-cli.ts';
import { pulumiCliMissing } from './support/engine.ts';
import { simSpec } from './support/specs.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

describe('root Pulumi.yaml', () => {
  const project = parseYaml(fs.readFileSync(path.join(ROOT, 'Pulumi.yaml'), 'utf8')) as { name: string; runtime: { name: string } | string; main: string };

  it('is the project the engine uses, on the nodejs runtime', () => {
    expect(project.name).toBe(PROJECT_NAME);
    expect(typeof project.runtime === 'string' ? project.runtime : project.runtime.name).toBe('nodejs');
  });

  it('names an existing main whose only export is the program (the nodejs host refuses named exports beside a default)', async () => {
    const main = path.join(ROOT, project.main);
    expect(fs.existsSync(main)).toBe(true);
    const mod = (await import(pathToFileURL(main).href)) as Record<string, unknown>;
    expect(Object.keys(mod)).toEqual(['default']);
    expect(typeof mod.default).toBe('function');
  });
});

describe('break-glass settings', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kaas-break-glass-'));

  it('takes the cluster id from a kaas-<id> stack name', () => {
    expect(clusterIdOfStack('kaas-c0abc123')).toBe('c0abc123');
    expect(clusterIdOfStack('dev')).toBeUndefined();
  });

  it('reads a spec, { spec } or `kaas clusters get --output json`, in JSON or YAML', () => {
    const spec = simSpec();
    for (const [name, text] of [
      ['a.json', JSON.stringify(spec)],
      ['b.json', JSON.stringify({ spec })],
      ['c.json', JSON.stringify({ cluster: { spec }, operations: [] })],
      ['d.yaml', `cluster:\n  spec: ${JSON.stringify(spec)}\n`],
    ] as const) {
      fs.writeFileSync(path.join(dir, name), text);
      expect(readSpecFile(path.join(dir, name))).toEqual(spec);
    }
  });

  it('runs a hibernated cluster hibernated, as the worker does: `kaas clusters get --output json` says so', () => {
    const spec = simSpec();
    fs.writeFileSync(path.join(dir, 'asleep.json'), JSON.stringify({ cluster: { spec, hibernated: true } }));
    fs.writeFileSync(path.join(dir, 'awake.json'), JSON.stringify({ cluster: { spec, hibernated: false } }));
    fs.writeFileSync(path.join(dir, 'bare.json'), JSON.stringify(spec));
    expect([readHibernatedFlag(path.join(dir, 'asleep.json')), readHibernatedFlag(path.join(dir, 'awake.json')), readHibernatedFlag(path.join(dir, 'bare.json'))]).toEqual([true, false, undefined]);
  });

  it('refuses an invalid spec file and a stack that names no cluster, saying what to do', () => {
    fs.writeFileSync(path.join(dir, 'bad.json'), JSON.stringify({ ...simSpec(), name: 'Bad Name' }));
    expect(() => readSpecFile(path.join(dir, 'bad.json'))).toThrow(/name/);
    expect(() => settingsFromStackConfig(new pulumi.Config('kaas'), 'dev')).toThrow(/kaas-<cluster id>.*kaas:clusterId/);
  });
});

describe.skipIf(pulumiCliMissing)('pulumi preview from the repository root', () => {
  it('previews a sim cluster stack kaas-<id> from its spec file', () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'kaas-break-glass-cli-'));
    const stack = `kaas-c0bg${Date.now().toString(36)}`;
    fs.mkdirSync(path.join(home, 'state'));
    fs.writeFileSync(path.join(home, 'spec.json'), JSON.stringify({ cluster: { spec: simSpec() } }));
    const env = {
      ...process.env,
      PATH: `${findPulumiBinDir(process.env)}${path.delimiter}${process.env.PATH}`,
      PULUMI_HOME: path.join(home, 'pulumi'),
      PULUMI_BACKEND_URL: pathToFileURL(path.join(home, 'state')).href,
      PULUMI_CONFIG_PASSPHRASE: 'test',
      PULUMI_SKIP_UPDATE_CHECK: 'true',
      NODE_PATH: nodeModulesDir(),
    };
    const pulumiCli = (...args: string[]) => execFileSync('pulumi', [...args, '--stack', stack, '--non-interactive'], { cwd: ROOT, env, encoding: 'utf8' });
    try {
      pulumiCli('stack', 'init');
      pulumiCli('config', 'set', 'kaas:specFile', path.join(home, 'spec.json'));
      pulumiCli('config', 'set', 'kaas:simCloudDir', path.join(home, 'cloud'));
      const out = pulumiCli('preview', '--diff');
      expect(out).toMatch(/kaas:sim:Cluster/);
      expect(out).toMatch(/\+ 7 to create/);
    } finally {
      fs.rmSync(path.join(ROOT, `Pulumi.${stack}.yaml`), { force: true });
      fs.rmSync(home, { recursive: true, force: true });
    }
  }, 120_000);
});
