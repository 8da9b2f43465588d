/**
 * The container image recipe (deploy/image/Containerfile) cannot be built here (no container
 * engine), so what can drift is checked against the sources of truth: the Pulumi CLI version is
 * the installed @pulumi/pulumi's (package-lock.json, stacks/engine/pulumi-cli.ts), every provider
 * package of package.json has its plugin baked at the version package-lock.json pins, Node is the
 * major package.json asks for, the CLI lands where findPulumiBinDir looks, every directory the
 * platform imports from at run time is copied, and the image's user is the chart's. The entrypoint
 * script itself is run for real.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { cachedCliRoot, pulumiSdkVersion } from '../stacks/engine/pulumi-cli.ts';

const root = path.resolve(import.meta.dirname, '..');
const recipe = fs.readFileSync(path.join(root, 'deploy', 'image', 'Containerfile'), 'utf8');
const lock = JSON.parse(fs.readFileSync(path.join(root, 'package-lock.json'), 'utf8')) as { packages: Record<string, { version: string }> };
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { dependencies: Record<string, string>; engines: { node: string } };
const args = Object.fromEntries([...recipe.matchAll(/^ARG (\w+)=(\S+)$/gm)].map((m) => [m[1]!, m[2]!]));
const locked = (name: string) => lock.packages[`node_modules/${name}`]?.version;
/** `@pulumi/azure-native` → PULUMI_AZURE_NATIVE_VERSION */
const argName = (name: string) => `PULUMI_${name.slice('@pulumi/'.length).replace(/-/g, '_').toUpperCase()}_VERSION`;

describe('image recipe deploy/image/Containerfile', () => {
  it('bakes the Pulumi CLI of the installed @pulumi/pulumi', () => {
    expect(args.PULUMI_VERSION).toBe(locked('@pulumi/pulumi'));
    expect(args.PULUMI_VERSION).toBe(pulumiSdkVersion());
    expect(pkg.dependencies['@pulumi/pulumi']).toBe(args.PULUMI_VERSION);
  });

  it('bakes every provider plugin at the version package-lock.json pins', () => {
    const providers = Object.keys(pkg.dependencies).filter((d) => d.startsWith('@pulumi/') && d !== '@pulumi/pulumi');
    expect(providers).toEqual(expect.arrayContaining(['@pulumi/aws', '@pulumi/gcp', '@pulumi/azure-native', '@pulumi/kubernetes']));
    for (const provider of providers) {
      expect({ provider, version: args[argName(provider)] }).toEqual({ provider, version: locked(provider) });
      expect(recipe).toContain(`plugin install resource ${provider.slice('@pulumi/'.length)} \${${argName(provider)}}`);
    }
    const pinnedArgs = Object.keys(args).filter((a) => /^PULUMI_\w+_VERSION$/.test(a));
    expect(pinnedArgs.sort()).toEqual(providers.map(argName).sort());
  });

  it('uses the Node.js major package.json and .nvmrc ask for', () => {
    const major = args.NODE_VERSION!.split('.')[0];
    expect(pkg.engines.node).toBe(`>=${major} <${Number(major) + 1}`);
    expect(fs.readFileSync(path.join(root, '.nvmrc'), 'utf8').trim()).toBe(major);
  });

  it('puts the CLI where the platform looks for it (KAAS_TOOLS_DIR/pulumi-<version>/bin)', () => {
    const toolsDir = /KAAS_TOOLS_DIR=(\S+)/.exec(recipe)?.[1];
    expect(toolsDir).toBe('/opt/kaas/tools');
    const binDir = path.join(cachedCliRoot('${PULUMI_VERSION}', { KAAS_TOOLS_DIR: toolsDir }), 'bin');
    expect(recipe).toContain(`tar -xz --strip-components=1 -C ${binDir}`);
    expect(recipe).toContain(`pulumi-resource-pulumi-nodejs ${binDir}/`);
  });

  it('copies every directory the platform and the CLI import from at run time', () => {
    // sources of the COPY lines from the build context (not --from=stage)
    const copied = new Set([...recipe.matchAll(/^COPY ((?:[^-\s]\S* )+)\S+$/gm)].flatMap((m) => m[1]!.trim().split(' ')));
    const needed = new Set<string>();
    for (const dir of ['api', 'cli', 'platform', 'stacks']) {
      for (const file of fs.readdirSync(path.join(root, dir), { recursive: true, encoding: 'utf8' })) {
        if (!/\.(ts|mjs)$/.test(file) || file.endsWith('.test.ts')) continue;
        const abs = path.join(root, dir, file);
        for (const m of fs.readFileSync(abs, 'utf8').matchAll(/(?:from|import\()\s*'(\.{1,2}\/[^']+)'/g)) {
          const top = path.relative(root, path.resolve(path.dirname(abs), m[1]!)).split(path.sep)[0]!;
          // the CLI's bundle builder is optional at run time (cli/bin.mjs falls back to the sources)
          if (top !== 'scripts') needed.add(top);
        }
      }
      needed.add(dir);
    }
    needed.add('templates'); // the shipped cluster templates, seeded at start (api/bootstrap.ts)
    expect([...needed].filter((d) => !copied.has(d))).toEqual([]);
  });

  it('runs as the user the Helm chart expects', () => {
    const values = parse(fs.readFileSync(path.join(root, 'deploy', 'helm', 'kaas', 'values.yaml'), 'utf8')) as { podSecurityContext: { runAsUser: number; runAsGroup: number } };
    expect(/^USER (\S+)$/m.exec(recipe)?.[1]).toBe(`${values.podSecurityContext.runAsUser}:${values.podSecurityContext.runAsGroup}`);
  });

  it('the entrypoint links the baked plugins into the Pulumi home and execs the platform', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kaas-entrypoint-'));
    try {
      const fakeBin = path.join(dir, 'bin');
      fs.mkdirSync(fakeBin);
      fs.writeFileSync(path.join(fakeBin, 'node'), '#!/bin/sh\necho "node $*"\n', { mode: 0o755 });
      const env = { PATH: `${fakeBin}:/usr/bin:/bin`, KAAS_HOME: path.join(dir, 'home'), KAAS_IMAGE_PLUGINS_DIR: '/opt/kaas/pulumi-plugins', KAAS_APP_DIR: '/opt/kaas/app' };
      const run = (...argv: string[]) => spawnSync('/bin/sh', [path.join(root, 'deploy', 'image', 'entrypoint.sh'), ...argv], { env, encoding: 'utf8' });
      for (let start = 0; start < 2; start++) {
        // twice: a restart on the same KAAS_HOME keeps working
        const r = run();
        expect([r.status, r.stdout, r.stderr]).toEqual([0, 'node /opt/kaas/app/api/main.ts\n', '']);
        expect(fs.readlinkSync(path.join(dir, 'home', 'pulumi', 'plugins'))).toBe('/opt/kaas/pulumi-plugins');
      }
      expect(run('kaas', 'version').stdout).toBe('node /opt/kaas/app/cli/bin.mjs version\n');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
