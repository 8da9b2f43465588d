/**
 * Where the `pulumi` CLI for this SDK lives. The CLI must match the installed `@pulumi/pulumi`
 * version exactly; `npm run setup:pulumi` puts one in `<tools>/pulumi-<version>/` (built from the
 * Go module proxy when no release can be downloaded), together with the dynamic-provider launcher.
 */
import { createRequire } from 'node:module';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const require = createRequire(import.meta.url);

/** The installed `@pulumi/pulumi` version, e.g. `3.260.0`. */
export function pulumiSdkVersion(): string {
  return (require('@pulumi/pulumi/package.json') as { version: string }).version;
}

/** The directory of the project's node_modules that holds `@pulumi/pulumi`. */
export function nodeModulesDir(): string {
  const pkg = require.resolve('@pulumi/pulumi/package.json');
  return path.resolve(path.dirname(pkg), '..', '..');
}

/** The settings that locate the tools (the caller reads them from its environment or Config). */
export interface PulumiToolsEnv {
  KAAS_TOOLS_DIR?: string | undefined;
  KAAS_PULUMI_ROOT?: string | undefined;
}

/** The tools cache outside the repo: `$KAAS_TOOLS_DIR` or `~/.kaas/tools`. */
export function toolsDir(env: PulumiToolsEnv): string {
  return env.KAAS_TOOLS_DIR || path.join(os.homedir(), '.kaas', 'tools');
}

/** The cached CLI root for a version: `<tools>/pulumi-<version>` with `bin/pulumi` inside. */
export function cachedCliRoot(version: string, env: PulumiToolsEnv): string {
  return path.join(toolsDir(env), `pulumi-${version}`);
}

/**
 * The directory holding a usable `pulumi` binary (`<root>/bin`): `$KAAS_PULUMI_ROOT/bin` when
 * set, else the cache. Returns undefined when no CLI of the SDK's version is installed.
 */
export function findPulumiBinDir(env: PulumiToolsEnv): string | undefined {
  const root = env.KAAS_PULUMI_ROOT || cachedCliRoot(pulumiSdkVersion(), env);
  const bin = path.join(root, 'bin');
  return fs.existsSync(path.join(bin, 'pulumi')) ? bin : undefined;
}
