/**
 * Ensures a `pulumi` CLI of exactly the installed `@pulumi/pulumi` version, plus the
 * dynamic-provider launcher beside it, in `<tools>/pulumi-<version>/bin` (tools: $KAAS_TOOLS_DIR or
 * ~/.kaas/tools). Idempotent: a warm run only checks versions.
 *
 * Order: the cache → a `pulumi` on PATH of the right version (copied into the cache) → the
 * official release via the Automation API's `PulumiCommand.install` where the network allows →
 * a build from the Go module proxy (pkg/v3 at that version, from a small wrapper module that
 * repeats pkg/v3's `replace` lines, since its go.mod points sdk/v3 at a relative path).
 *
 * Usage: node scripts/setup-pulumi.ts [--force-build]
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { PulumiCommand } from '@pulumi/pulumi/automation/index.js';
import { cachedCliRoot, nodeModulesDir, pulumiSdkVersion } from '../stacks/engine/pulumi-cli.ts';

const version = pulumiSdkVersion();
const root = cachedCliRoot(version, process.env);
const bin = path.join(root, 'bin');
const cli = path.join(bin, 'pulumi');
const log = (msg: string) => process.stderr.write(`setup:pulumi: ${msg}\n`);

function cliVersion(file: string): string | undefined {
  const out = spawnSync(file, ['version'], { encoding: 'utf8', env: { ...process.env, PULUMI_SKIP_UPDATE_CHECK: 'true' } });
  return out.status === 0 ? out.stdout.trim().replace(/^v/, '') : undefined;
}

function onPath(): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const candidate = path.join(dir, 'pulumi');
    if (dir && fs.existsSync(candidate) && path.resolve(candidate) !== cli) return candidate;
  }
  return undefined;
}

/** The launcher the engine runs for dynamic providers; it ships in @pulumi/pulumi. */
function installLauncher(): void {
  const source = path.join(nodeModulesDir(), '@pulumi', 'pulumi', 'pulumi-resource-pulumi-nodejs');
  const target = path.join(bin, 'pulumi-resource-pulumi-nodejs');
  fs.copyFileSync(source, target);
  fs.chmodSync(target, 0o755);
}

async function tryDownload(): Promise<boolean> {
  const staging = `${root}.download`;
  fs.rmSync(staging, { recursive: true, force: true });
  try {
    const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timed out after 60 s')), 60_000).unref());
    await Promise.race([PulumiCommand.install({ root: staging }), timeout]);
    fs.mkdirSync(bin, { recursive: true });
    fs.copyFileSync(path.join(staging, 'bin', 'pulumi'), cli);
    fs.chmodSync(cli, 0o755);
    return true;
  } catch (err) {
    log(`no release download (${(err as Error).message.split('\n')[0]}); building from the Go module proxy instead`);
    return false;
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}

function go(args: string[], cwd: string): string {
  return execFileSync('go', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, GOFLAGS: '-mod=mod', CGO_ENABLED: '0' } });
}

function buildFromGoModules(): void {
  if (spawnSync('go', ['version']).status !== 0) {
    throw new Error('Go is not installed: install Go (https://go.dev/doc/install or `apt-get install golang`) or put pulumi v' + version + ' on PATH');
  }
  const started = Date.now();
  const src = path.join(root, 'build-src');
  fs.rmSync(src, { recursive: true, force: true });
  fs.mkdirSync(src, { recursive: true });
  const tag = `v${version}`;
  log(`building pulumi ${tag} from Go modules in ${src} (cold: several minutes)`);
  fs.writeFileSync(path.join(src, 'go.mod'), `module kaas.local/pulumi-build\n\ngo 1.23\n`);
  fs.writeFileSync(path.join(src, 'tools.go'), '//go:build tools\n\npackage tools\n\nimport _ "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi"\n');
  const info = JSON.parse(go(['mod', 'download', '-json', `github.com/pulumi/pulumi/pkg/v3@${tag}`], src)) as { GoMod: string };
  const pkgMod = fs.readFileSync(info.GoMod, 'utf8');
  const goLine = /^go (\S+)/m.exec(pkgMod)?.[1] ?? '1.23';
  // pkg/v3 replaces sdk/v3 with ../sdk (a path only valid in pulumi's repo): require sdk/v3 at the
  // same version instead, and repeat every other replace so the build matches upstream's.
  const replaces = [...pkgMod.matchAll(/^replace\s+(\S+)\s+=>\s+(\S+)(?:\s+(\S+))?\s*$/gm)].filter((m) => !m[2]!.startsWith('.'));
  const goMod = [
    'module kaas.local/pulumi-build',
    '',
    `go ${goLine}`,
    '',
    'require (',
    `\tgithub.com/pulumi/pulumi/pkg/v3 ${tag}`,
    `\tgithub.com/pulumi/pulumi/sdk/v3 ${tag}`,
    ')',
    '',
    ...replaces.map((m) => `replace ${m[1]} => ${m[2]}${m[3] ? ` ${m[3]}` : ''}`),
    '',
  ].join('\n');
  fs.writeFileSync(path.join(src, 'go.mod'), goMod);
  go(['mod', 'tidy'], src);
  fs.mkdirSync(bin, { recursive: true });
  go(['build', '-trimpath', '-ldflags', `-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=${tag}`, '-o', cli + '.tmp', 'github.com/pulumi/pulumi/pkg/v3/cmd/pulumi'], src);
  fs.renameSync(cli + '.tmp', cli);
  const size = fs.statSync(cli).size;
  log(`built in ${((Date.now() - started) / 1000).toFixed(0)} s, ${(size / 1024 / 1024).toFixed(0)} MiB`);
}

/**
 * The Node.js language host, for running the project with the plain CLI (break-glass, and the
 * engine benchmark's baseline); inline programs through the Automation API never use it. Its
 * module is not published separately, and the last sdk/v3 that still contains it is v3.68.0; that
 * host speaks the same plugin protocol and runs today's `@pulumi/pulumi` programs.
 */
const LANGUAGE_HOST_SDK = 'v3.68.0';
function ensureLanguageHost(): void {
  const target = path.join(bin, 'pulumi-language-nodejs');
  if (fs.existsSync(target)) return;
  const src = path.join(root, 'langhost-src');
  fs.rmSync(src, { recursive: true, force: true });
  fs.mkdirSync(src, { recursive: true });
  log(`building pulumi-language-nodejs from sdk/v3 ${LANGUAGE_HOST_SDK} (used only by the plain CLI)`);
  fs.writeFileSync(path.join(src, 'go.mod'), `module kaas.local/langhost\n\ngo 1.20\n\nrequire github.com/pulumi/pulumi/sdk/v3 ${LANGUAGE_HOST_SDK}\n`);
  fs.writeFileSync(path.join(src, 'tools.go'), '//go:build tools\n\npackage tools\n\nimport _ "github.com/pulumi/pulumi/sdk/v3/nodejs/cmd/pulumi-language-nodejs"\n');
  go(['mod', 'tidy'], src);
  go(['build', '-trimpath', '-ldflags', '-s -w', '-o', target + '.tmp', 'github.com/pulumi/pulumi/sdk/v3/nodejs/cmd/pulumi-language-nodejs'], src);
  fs.renameSync(target + '.tmp', target);
}

async function main(): Promise<void> {
  const forceBuild = process.argv.includes('--force-build');
  if (!forceBuild && fs.existsSync(cli) && cliVersion(cli) === version) {
    installLauncher();
    ensureLanguageHost();
    log(`pulumi ${version} ready at ${cli}`);
    return;
  }
  fs.mkdirSync(bin, { recursive: true });
  const existing = forceBuild ? undefined : onPath();
  if (existing && cliVersion(existing) === version) {
    log(`using pulumi ${version} from ${existing}`);
    fs.copyFileSync(existing, cli);
    fs.chmodSync(cli, 0o755);
  } else if (forceBuild || !(await tryDownload())) {
    buildFromGoModules();
  }
  const got = cliVersion(cli);
  if (got !== version) throw new Error(`the installed CLI reports ${got ?? 'nothing'}, expected ${version}`);
  installLauncher();
  ensureLanguageHost();
  log(`pulumi ${version} ready at ${cli}`);
}

main().catch((err: Error) => {
  log(`failed: ${err.message}`);
  process.exit(1);
});
