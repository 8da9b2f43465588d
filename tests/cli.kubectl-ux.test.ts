/**
 * What kubectl/gh users expect of `kaas`, against a started platform with the CLI as child
 * processes: contexts (several saved platforms/identities, a default team each, the old
 * single-identity file migrated), `clusters kubeconfig --merge`, `kaas version`, `-v` as verbose,
 * `-o name` / `-o jsonpath=…`, `--timeout` for `--wait`, ids in `clusters get`, `clusters list -A`,
 * and shell completion calling back into `kaas __complete`.
 */
import { execFile, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import YAML from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPlatformProcess, type CliRun, type PlatformProcess } from './support/platform-process.ts';

const CLI_MAIN = fileURLToPath(new URL('../cli/main.ts', import.meta.url));

/** `node cli/main.ts ARGS` with exactly `env` (plus PATH). */
function kaas(args: string[], env: Record<string, string>): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI_MAIN, ...args], { env: { PATH: process.env.PATH ?? '', ...env }, timeout: 90_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof (error as { code?: unknown }).code === 'number' ? (error as { code: number }).code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

const ok = (run: CliRun): CliRun => {
  expect({ code: run.code, stderr: run.code === 0 ? '' : run.stderr }).toEqual({ code: 0, stderr: '' });
  return run;
};
const json = <T>(run: CliRun): T => JSON.parse(ok(run).stdout) as T;

interface Kubeconfig {
  'current-context'?: string;
  clusters: { name: string; cluster: { server: string } }[];
  contexts: { name: string; context: { cluster: string; user: string } }[];
  users: { name: string }[];
}

describe('kaas like kubectl and gh', () => {
  let platform: PlatformProcess;
  let home: string;
  let teamToken = '';
  let webId = '';
  /** Env with a saved config in `home` and no KAAS_URL/KAAS_TOKEN: the contexts decide. */
  const saved = (extra: Record<string, string> = {}) => ({ HOME: home, KAAS_CONFIG: path.join(home, 'kaas.json'), ...extra });
  const admin = (args: string[]) => kaas(args, { HOME: home, KAAS_CONFIG: path.join(home, 'admin.json'), KAAS_URL: platform.url, KAAS_TOKEN: platform.adminToken });
  const team = (args: string[]) => kaas(args, { HOME: home, KAAS_CONFIG: path.join(home, 'team.json'), KAAS_URL: platform.url, KAAS_TOKEN: teamToken });

  beforeAll(async () => {
    platform = await startPlatformProcess();
    home = path.join(platform.home, 'user');
    fs.mkdirSync(home);
    ok(await admin(['teams', 'create', 'ux-a']));
    ok(await admin(['teams', 'create', 'ux-b']));
    teamToken = json<{ token: string }>(await admin(['tokens', 'create', '--subject', 'ux-lead', '--role', 'team-admin', '--team', 'ux-a', '-o', 'json'])).token;
    webId = json<{ cluster: { id: string } }>(await team(['clusters', 'create', 'web', '--template', 'sim-dev', '--wait', '-o', 'json'])).cluster.id;
    ok(await admin(['clusters', 'create', 'web', '--team', 'ux-b', '--template', 'sim-dev', '--wait']));
  }, 240_000);

  afterAll(async () => {
    if (!platform) return;
    await platform.stop('SIGTERM', 30_000);
    if (platform.child.exitCode === null && platform.child.signalCode === null) platform.child.kill('SIGKILL');
    fs.rmSync(platform.home, { recursive: true, force: true });
  });

  describe('contexts', () => {
    it('login writes a context per identity; use-context switches; get-contexts marks the current one', async () => {
      const tokenFile = path.join(home, 'team-token');
      fs.writeFileSync(tokenFile, teamToken + '\n', { mode: 0o600 });
      const first = ok(await kaas(['login', '--url', platform.url, '--token-file', tokenFile, '--context', 'team-a'], saved()));
      expect(first.stdout).toContain('context "team-a"');
      ok(await kaas(['login', '--url', platform.url, '--token', platform.adminToken, '--context', 'admin'], saved()));
      expect(fs.statSync(path.join(home, 'kaas.json')).mode & 0o777).toBe(0o600);
      expect(ok(await kaas(['config', 'current-context'], saved())).stdout.trim()).toBe('admin');
      const contexts = ok(await kaas(['config', 'get-contexts'], saved())).stdout;
      expect(contexts).toMatch(/^CURRENT\s+NAME\s+URL\s+TEAM/m);
      expect(contexts).toMatch(/^\*\s+admin\s+http:\/\/127\.0\.0\.1:\d+\s+-?\s*$/m);
      expect(contexts).toMatch(/^\s+team-a\s+http:\/\/127\.0\.0\.1:\d+\s+ux-a\s*$/m);
      expect(contexts).not.toContain(teamToken);
      expect(json<{ subject: string }>(await kaas(['whoami', '-o', 'json'], saved())).subject).toBe('admin');
      ok(await kaas(['config', 'use-context', 'team-a'], saved()));
      expect(json<{ subject: string; team: string }>(await kaas(['whoami', '-o', 'json'], saved()))).toMatchObject({ subject: 'ux-lead', team: 'ux-a' });
      // --context picks one for a single call; KAAS_TOKEN still overrides the context's token
      expect(json<{ subject: string }>(await kaas(['whoami', '--context', 'admin', '-o', 'json'], saved())).subject).toBe('admin');
      expect(json<{ subject: string }>(await kaas(['whoami', '-o', 'json'], saved({ KAAS_TOKEN: platform.adminToken }))).subject).toBe('admin');
    });

    it('a default team per context is used when --team is omitted', async () => {
      // the admin context without a team lists every team; with --team ux-b set, `get web` finds ux-b's
      ok(await kaas(['config', 'set-context', 'admin-b', '--url', platform.url, '--token', platform.adminToken, '--team', 'ux-b'], saved()));
      const got = json<{ cluster: { team: string } }>(await kaas(['clusters', 'get', 'web', '--context', 'admin-b', '-o', 'json'], saved()));
      expect(got.cluster.team).toBe('ux-b');
      const explicit = json<{ cluster: { team: string } }>(await kaas(['clusters', 'get', 'web', '--context', 'admin-b', '--team', 'ux-a', '-o', 'json'], saved()));
      expect(explicit.cluster.team).toBe('ux-a');
    });

    it('use-context / delete-context of an unknown name: exit 3 naming the known ones', async () => {
      const bad = await kaas(['config', 'use-context', 'nope'], saved());
      expect(bad.code).toBe(3);
      expect(bad.stderr).toMatch(/error: context "nope" does not exist/);
      expect(bad.stderr).toMatch(/hint: .*admin.*team-a/);
      ok(await kaas(['config', 'delete-context', 'admin-b'], saved()));
      expect(ok(await kaas(['config', 'get-contexts', '-o', 'name'], saved())).stdout.trim().split('\n').sort()).toEqual(['context/admin', 'context/team-a']);
    });

    it('an old single-identity config file still works and migrates, staying 0600', async () => {
      const file = path.join(home, 'old.json');
      fs.writeFileSync(file, JSON.stringify({ url: platform.url, token: teamToken }), { mode: 0o600 });
      const env = { HOME: home, KAAS_CONFIG: file };
      expect(json<{ subject: string }>(await kaas(['whoami', '-o', 'json'], env)).subject).toBe('ux-lead');
      expect(ok(await kaas(['config', 'current-context'], env)).stdout.trim()).toBe('default');
      ok(await kaas(['config', 'set-context', 'default', '--team', 'ux-a'], env));
      expect(fs.statSync(file).mode & 0o777).toBe(0o600);
      const migrated = JSON.parse(fs.readFileSync(file, 'utf8')) as { currentContext: string; contexts: Record<string, { url: string; token: string; team?: string }> };
      expect(migrated.currentContext).toBe('default');
      expect(migrated.contexts.default).toEqual({ url: platform.url, token: teamToken, team: 'ux-a' });
    });
  });

  describe('clusters kubeconfig --merge', () => {
    it('merges into the first $KUBECONFIG file as kaas-<team>-<name>, keeps other entries, replaces its own, 0600', async () => {
      const kc = path.join(home, 'kube', 'config');
      fs.mkdirSync(path.dirname(kc));
      const other = { apiVersion: 'v1', kind: 'Config', 'current-context': 'other', clusters: [{ name: 'other', cluster: { server: 'https://other:6443' } }], contexts: [{ name: 'other', context: { cluster: 'other', user: 'other' } }], users: [{ name: 'other', user: { token: 'x' } }] };
      fs.writeFileSync(kc, YAML.stringify(other), { mode: 0o644 });
      const env = { KUBECONFIG: `${kc}${path.delimiter}${path.join(home, 'kube', 'second')}` };
      const run = ok(await kaas(['clusters', 'kubeconfig', 'web', '--merge'], { ...saved(env), KAAS_URL: platform.url, KAAS_TOKEN: teamToken }));
      expect(run.stdout).toContain('kaas-ux-a-web');
      ok(await kaas(['clusters', 'kubeconfig', 'web', '--merge'], { ...saved(env), KAAS_URL: platform.url, KAAS_TOKEN: teamToken }));
      ok(await kaas(['clusters', 'kubeconfig', 'web', '--team', 'ux-b', '--merge', '--kubeconfig', kc, '--set-current'], { ...saved(), KAAS_URL: platform.url, KAAS_TOKEN: platform.adminToken }));
      expect(fs.statSync(kc).mode & 0o777).toBe(0o600);
      expect(fs.existsSync(path.join(home, 'kube', 'second'))).toBe(false);
      const merged = YAML.parse(fs.readFileSync(kc, 'utf8')) as Kubeconfig;
      expect(merged.contexts.map((c) => c.name).sort()).toEqual(['kaas-ux-a-web', 'kaas-ux-b-web', 'other']);
      expect(merged.clusters.map((c) => c.name).sort()).toEqual(['kaas-ux-a-web', 'kaas-ux-b-web', 'other']);
      expect(merged.users.map((c) => c.name).sort()).toEqual(['kaas-ux-a-web', 'kaas-ux-b-web', 'other']);
      expect(merged.contexts.find((c) => c.name === 'kaas-ux-b-web')?.context).toEqual(expect.objectContaining({ cluster: 'kaas-ux-b-web', user: 'kaas-ux-b-web' }));
      expect(merged['current-context']).toBe('kaas-ux-b-web');
      expect(merged.clusters.find((c) => c.name === 'other')?.cluster.server).toBe('https://other:6443');
    });

    it('an entry of the same name from another platform is kept: the new one is named after the kaas context too', async () => {
      const kc = path.join(home, 'kube', 'two-platforms');
      const foreign = {
        apiVersion: 'v1', kind: 'Config',
        clusters: [{ name: 'kaas-ux-a-web', cluster: { server: 'https://elsewhere:6443' } }],
        contexts: [{ name: 'kaas-ux-a-web', context: { cluster: 'kaas-ux-a-web', user: 'kaas-ux-a-web', extensions: [{ name: 'kaas.io/source', extension: { url: 'https://kaas.elsewhere.example', team: 'ux-a', cluster: 'web' } }] } }],
        users: [{ name: 'kaas-ux-a-web', user: { token: 'y' } }],
      };
      fs.writeFileSync(kc, YAML.stringify(foreign));
      const run = ok(await kaas(['clusters', 'kubeconfig', 'web', '--merge', '--kubeconfig', kc, '--context', 'team-a'], saved()));
      expect(run.stdout).toContain('kaas-team-a-ux-a-web');
      const merged = YAML.parse(fs.readFileSync(kc, 'utf8')) as Kubeconfig;
      expect(merged.contexts.map((c) => c.name).sort()).toEqual(['kaas-team-a-ux-a-web', 'kaas-ux-a-web']);
      expect(merged.clusters.find((c) => c.name === 'kaas-ux-a-web')?.cluster.server).toBe('https://elsewhere:6443');
    });

    it('--set-current and --kubeconfig need --merge', async () => {
      const bad = await team(['clusters', 'kubeconfig', 'web', '--set-current']);
      expect(bad.code).toBe(2);
      expect(bad.stderr).toMatch(/--set-current.*--merge/);
    });
  });

  describe('version, -v, output formats', () => {
    it('`kaas version` prints the client and the server version; --version the client only', async () => {
      const pkg = JSON.parse(fs.readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
      expect(json<{ client: { version: string }; server: { version: string; url: string } }>(await team(['version', '-o', 'json']))).toEqual({ client: { version: pkg.version }, server: { version: pkg.version, url: platform.url } });
      const text = ok(await team(['version'])).stdout;
      expect(text).toContain(`Client Version: ${pkg.version}`);
      expect(text).toContain(`Server Version: ${pkg.version}`);
      expect(ok(await team(['--version'])).stdout.trim()).toBe(pkg.version);
    });

    it('-v is verbose, not version: the request and its id go to stderr', async () => {
      const run = ok(await team(['-v', 'whoami', '-o', 'json']));
      expect(JSON.parse(run.stdout)).toMatchObject({ subject: 'ux-lead' });
      expect(run.stderr).toMatch(/whoami .*request id [0-9a-f-]{36}/);
    });

    it('-o name prints kind/name lines; -o jsonpath prints the selected fields', async () => {
      expect(ok(await team(['clusters', 'list', '-o', 'name'])).stdout).toBe('cluster/web\n');
      expect(ok(await admin(['clusters', 'list', '-o', 'jsonpath={.items[*].team}'])).stdout.split(' ').sort()).toEqual(['ux-a', 'ux-b']);
      expect(ok(await team(['clusters', 'get', 'web', '-o', 'jsonpath={.cluster.id}'])).stdout).toBe(webId);
      expect(ok(await admin(['clusters', 'list', '--team', 'ux-a', '-o', 'jsonpath={range .items[*]}{.name}{"\\t"}{.team}{"\\n"}{end}'])).stdout).toBe('web\tux-a\n');
      const bad = await team(['clusters', 'list', '-o', 'jsonpath={.items[']);
      expect(bad.code).toBe(2);
      expect(bad.stderr).toMatch(/--output jsonpath/);
      const unknown = await team(['clusters', 'list', '-o', 'xml']);
      expect(unknown.code).toBe(2);
      expect(unknown.stderr).toMatch(/table, json, yaml, name, jsonpath=/);
    });
  });

  describe('--timeout for --wait', () => {
    it('gives up watching after DURATION: exit 9, the operation continues on the server, how to follow it', async () => {
      const run = await team(['clusters', 'create', 'slow', '--template', 'sim-dev', '--wait', '--timeout', '1ms']);
      expect(run.code).toBe(9);
      expect(run.stderr).toMatch(/timed out after 1ms.*continues on the server/);
      expect(run.stderr).toMatch(/follow it with: kaas clusters events slow --operation \S+ --follow/);
      ok(await team(['clusters', 'events', 'slow', '--follow']));
    });

    it('refuses a bad duration, and --timeout without --wait', async () => {
      const bad = await team(['clusters', 'drift', 'web', '--wait', '--timeout', 'soon']);
      expect(bad.code).toBe(2);
      expect(bad.stderr).toMatch(/--timeout "soon"[\s\S]*(30s|5m)/);
      const alone = await team(['clusters', 'drift', 'web', '--timeout', '5m']);
      expect(alone.code).toBe(2);
      expect(alone.stderr).toMatch(/--timeout needs --wait/);
    });
  });

  describe('clusters get and list -A', () => {
    it('clusters get shows the cluster id', async () => {
      expect(ok(await team(['clusters', 'get', 'web'])).stdout).toMatch(new RegExp(`^id:\\s+${webId}$`, 'm'));
    });

    it('an admin lists every team with -A (TEAM column), even with a default team in the context', async () => {
      const run = ok(await kaas(['clusters', 'list', '-A', '--context', 'admin'], saved()));
      expect(run.stdout).toMatch(/^NAME\s+TEAM/im);
      expect(run.stdout).toMatch(/^web\s+ux-a\b/m);
      expect(run.stdout).toMatch(/^web\s+ux-b\b/m);
      ok(await kaas(['config', 'set-context', 'admin', '--team', 'ux-b'], saved()));
      expect(ok(await kaas(['clusters', 'list', '--context', 'admin', '-o', 'jsonpath={.items[*].team}'], saved())).stdout).toBe('ux-b');
      expect(new Set(ok(await kaas(['clusters', 'list', '--all-teams', '--context', 'admin', '-o', 'jsonpath={.items[*].team}'], saved())).stdout.split(' '))).toEqual(new Set(['ux-a', 'ux-b']));
    });

    it('a team token gets a clear refusal with a hint; -A with --team is a usage error', async () => {
      const refused = await team(['clusters', 'list', '-A']);
      expect(refused.code).toBe(4);
      expect(refused.stderr).toMatch(/error: .*all teams.*platform admins/);
      expect(refused.stderr).toMatch(/hint: .*kaas clusters list/);
      const both = await admin(['clusters', 'list', '-A', '--team', 'ux-a']);
      expect(both.code).toBe(2);
      expect(both.stderr).toMatch(/-A.*--team/);
    });
  });

  describe('shell completion', () => {
    /** Runs the generated bash script's completion function for the words typed so far. */
    function complete(words: string[], env: Record<string, string>): string[] {
      const bin = path.join(home, 'bin');
      fs.mkdirSync(bin, { recursive: true });
      fs.writeFileSync(path.join(bin, 'kaas'), `#!/bin/sh\nexec "${process.execPath}" "${CLI_MAIN}" "$@"\n`, { mode: 0o755 });
      const script = spawnSync(process.execPath, [CLI_MAIN, 'completion', 'bash'], { encoding: 'utf8' });
      expect(script.status).toBe(0);
      fs.writeFileSync(path.join(home, 'kaas.bash'), script.stdout);
      const quoted = words.map((w) => `'${w}'`).join(' ');
      const r = spawnSync('bash', ['-c', `source "${path.join(home, 'kaas.bash')}"; COMP_WORDS=(${quoted}); COMP_CWORD=${words.length - 1}; _kaas_completion; printf '%s\\n' "\${COMPREPLY[@]}"`], {
        encoding: 'utf8',
        env: { PATH: `${bin}${path.delimiter}${process.env.PATH ?? ''}`, ...env },
        timeout: 60_000,
      });
      expect(r.stderr).toBe('');
      return r.stdout.split('\n').filter(Boolean);
    }
    const asTeam = () => ({ HOME: home, KAAS_CONFIG: path.join(home, 'team.json'), KAAS_URL: platform.url, KAAS_TOKEN: teamToken });

    it('completes topics, commands and flags without asking the API', () => {
      expect(complete(['kaas', 'clu'], asTeam())).toEqual(['clusters']);
      expect(complete(['kaas', 'clusters', 'kube'], asTeam())).toEqual(['kubeconfig']);
      expect(complete(['kaas', 'clusters', 'kubeconfig', 'web', '--me'], asTeam())).toEqual(['--merge']);
    });

    it('completes cluster and template names from the API', () => {
      expect(complete(['kaas', 'clusters', 'get', ''], asTeam())).toEqual(expect.arrayContaining(['web', 'slow']));
      expect(complete(['kaas', 'clusters', 'get', 'w'], asTeam())).toEqual(['web']);
      expect(complete(['kaas', 'clusters', 'create', 'x', '--template', 'sim-'], asTeam())).toContain('sim-dev');
      expect(complete(['kaas', 'templates', 'get', ''], asTeam())).toContain('sim-dev');
      expect(complete(['kaas', 'config', 'use-context', ''], { HOME: home, KAAS_CONFIG: path.join(home, 'kaas.json') })).toEqual(['admin', 'team-a']);
    });

    it('completes nothing, silently, without a login', () => {
      expect(complete(['kaas', 'clusters', 'get', ''], { HOME: home, KAAS_CONFIG: path.join(home, 'none.json') })).toEqual([]);
    });

    it('prints zsh and fish scripts that call back into kaas __complete', () => {
      for (const shell of ['zsh', 'fish']) {
        const r = spawnSync(process.execPath, [CLI_MAIN, 'completion', shell], { encoding: 'utf8' });
        expect(r.status).toBe(0);
        expect(r.stdout).toContain('kaas __complete');
      }
      const bad = spawnSync(process.execPath, [CLI_MAIN, 'completion', 'tcsh'], { encoding: 'utf8' });
      expect(bad.status).toBe(2);
    });
  });
});
