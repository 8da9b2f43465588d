/**
 * The CLI's settings: the config file written by `kaas login` (`$KAAS_CONFIG`, else
 * `~/.config/kaas/config.json`; mode 0600 in a 0700 directory), overridden by KAAS_URL / KAAS_TOKEN,
 * overridden by the --url / --token flags. The CLI reads the environment only here.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CliError } from './errors.ts';
import { EXIT } from './exit-codes.ts';

/** What the config file holds. */
export interface SavedConfig {
  url: string;
  token: string;
}

/** Where the CLI connects, and where each part came from. */
export interface Connection {
  url: string;
  token: string | undefined;
}

/** The URL used when nothing says otherwise: the platform's default listen address. */
export const DEFAULT_URL = 'http://127.0.0.1:7080';

type Env = Record<string, string | undefined>;

/** The CLI's environment: read here only, then passed down (`RunIO.env`). */
export function cliEnvironment(): Env {
  return process.env;
}

/** Path of the config file. */
export function configPath(env: Env): string {
  if (env.KAAS_CONFIG) return path.resolve(env.KAAS_CONFIG);
  const base = env.XDG_CONFIG_HOME || path.join(env.HOME || os.homedir(), '.config');
  return path.join(base, 'kaas', 'config.json');
}

/** The saved config, or undefined when there is none; a broken file is an error naming it. */
export function readConfig(file: string): SavedConfig | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new CliError('CONFIG', `cannot read ${file}: ${(err as Error).message}`, EXIT.USAGE);
  }
  try {
    const parsed = JSON.parse(text) as Partial<SavedConfig>;
    if (typeof parsed.url !== 'string' || typeof parsed.token !== 'string') throw new Error('expected {"url": "...", "token": "..."}');
    return { url: parsed.url, token: parsed.token };
  } catch (err) {
    throw new CliError('CONFIG', `config file ${file} is not valid: ${(err as Error).message}`, EXIT.USAGE, { hint: 'run `kaas login` again, or delete the file' });
  }
}

/** Writes the config file with mode 0600 (its directory 0700), also when it already existed. */
export function writeConfig(file: string, config: SavedConfig): void {
  const dir = path.dirname(file);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(config, null, 2) + '\n', { mode: 0o600 });
  fs.chmodSync(tmp, 0o600);
  fs.renameSync(tmp, file);
}

/** Deletes the config file; true when there was one. */
export function removeConfig(file: string): boolean {
  try {
    fs.unlinkSync(file);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
}

/** Strips trailing slashes and a trailing /trpc, and checks the URL is http(s). */
export function normaliseUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new CliError('USAGE', `--url "${url}" is not a URL`, EXIT.USAGE, { hint: 'example: --url http://127.0.0.1:7080' });
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new CliError('USAGE', `--url "${url}" must be an http:// or https:// URL`, EXIT.USAGE);
  return parsed.href.replace(/\/+$/, '').replace(/\/trpc$/, '');
}

/** Flags > KAAS_URL / KAAS_TOKEN > config file > default URL (no token). */
export function resolveConnection(flags: { url?: string | undefined; token?: string | undefined }, env: Env): Connection {
  const saved = flags.url && flags.token ? undefined : readConfig(configPath(env));
  // an empty variable counts as unset
  const url = flags.url || env.KAAS_URL || saved?.url || DEFAULT_URL;
  const token = flags.token || env.KAAS_TOKEN || saved?.token;
  return { url: normaliseUrl(url), token: token || undefined };
}
