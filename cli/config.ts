/**
 * The CLI's settings: the config file (`$KAAS_CONFIG`, else `~/.config/kaas/config.json`; mode 0600
 * in a 0700 directory) holding named contexts, each a platform URL, a token and an optional
 * default team, like kubectl's kubeconfig contexts; one is current. KAAS_URL / KAAS_TOKEN override
 * the context's URL / token, the --url / --token flags override both, --context (or KAAS_CONTEXT)
 * picks another context for one call. A file in the old single-identity form `{url, token}` reads
 * as one context named "default" and is rewritten in the new form on the next change. The CLI
 * reads the environment only here.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CliError } from './errors.ts';
import { EXIT } from './exit-codes.ts';

/** One saved platform identity. */
export interface SavedContext {
  url: string;
  token?: string;
  /** Used when a command's --team is omitted (on this context's URL only). */
  team?: string;
  /** Set by `kaas login --sso`: `token` is then an OIDC token, refreshed with these when it expires (cli/sso/refresh.ts). */
  sso?: SavedSso;
}

/** A single-sign-on identity: where its token came from and how to get the next one. */
export interface SavedSso {
  issuer: string;
  clientId: string;
  /** The resource (audience) JWT access tokens are asked for. */
  audience: string;
  refreshToken?: string;
  /** When `token` expires (ISO 8601). */
  expiresAt: string;
}

/** What the config file holds. */
export interface SavedConfig {
  currentContext: string | undefined;
  /** Context name → context; no prototype (names are user input). */
  contexts: Record<string, SavedContext>;
}

/** Where the CLI connects, and the default team that comes with it. */
export interface Connection {
  url: string;
  token: string | undefined;
  /** The context used, if any. */
  context?: string | undefined;
  /** The context's default team, when the context's URL is the one used. */
  team?: string | undefined;
  /** When the token is the context's SSO token: its refresh details and the config file to save a refreshed one to. */
  sso?: { saved: SavedSso; context: string; configFile: string } | undefined;
}

/** The URL used when nothing says otherwise: the platform's default listen address. */
export const DEFAULT_URL = 'http://127.0.0.1:7080';

/** The name an old single-identity config file's identity gets. */
export const MIGRATED_CONTEXT = 'default';

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

const CONTEXT_NAME = /^[A-Za-z0-9][A-Za-z0-9._@:-]{0,99}$/;

/** Checks a context name (letters, digits, `.`, `_`, `@`, `:`, `-`; at most 100). */
export function checkContextName(name: string): string {
  if (!CONTEXT_NAME.test(name)) throw new CliError('VALIDATION', `context name "${name}" is not valid: use letters, digits, ".", "_", "@", ":" and "-", starting with a letter or digit`, EXIT.USAGE, { hint: 'example: --context prod-admin' });
  return name;
}

const emptyContexts = (): Record<string, SavedContext> => Object.create(null) as Record<string, SavedContext>;

function parseContext(name: string, value: unknown): SavedContext {
  const v = value as Partial<Record<keyof SavedContext, unknown>> | null;
  if (!v || typeof v !== 'object' || typeof v.url !== 'string') throw new Error(`context "${name}" needs a "url"`);
  if (v.token !== undefined && typeof v.token !== 'string') throw new Error(`context "${name}": "token" must be a string`);
  if (v.team !== undefined && typeof v.team !== 'string') throw new Error(`context "${name}": "team" must be a string`);
  return { url: v.url, ...(v.token !== undefined ? { token: v.token } : {}), ...(v.team !== undefined ? { team: v.team } : {}), ...(v.sso !== undefined ? { sso: parseSso(name, v.sso) } : {}) };
}

function parseSso(name: string, value: unknown): SavedSso {
  const v = value as Partial<Record<keyof SavedSso, unknown>> | null;
  const ok = v && typeof v === 'object' && typeof v.issuer === 'string' && typeof v.clientId === 'string' && typeof v.audience === 'string' && typeof v.expiresAt === 'string' && (v.refreshToken === undefined || typeof v.refreshToken === 'string');
  if (!ok) throw new Error(`context "${name}": "sso" must hold issuer, clientId, audience and expiresAt strings`);
  return v as SavedSso;
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
    const parsed = JSON.parse(text) as Record<string, unknown>;
    if (!parsed || typeof parsed !== 'object') throw new Error('expected a JSON object');
    const contexts = emptyContexts();
    if (parsed.contexts === undefined) {
      // the old single-identity form
      if (typeof parsed.url !== 'string' || typeof parsed.token !== 'string') throw new Error('expected {"currentContext": "...", "contexts": {...}}');
      contexts[MIGRATED_CONTEXT] = { url: parsed.url, token: parsed.token };
      return { currentContext: MIGRATED_CONTEXT, contexts };
    }
    if (!parsed.contexts || typeof parsed.contexts !== 'object' || Array.isArray(parsed.contexts)) throw new Error('"contexts" must be an object');
    for (const [name, value] of Object.entries(parsed.contexts)) {
      if (!CONTEXT_NAME.test(name)) throw new Error(`context name "${name}" is not valid`);
      contexts[name] = parseContext(name, value);
    }
    const current = parsed.currentContext;
    if (current !== undefined && (typeof current !== 'string' || !Object.hasOwn(contexts, current))) throw new Error(`currentContext "${String(current)}" is not one of the contexts`);
    return { currentContext: current, contexts };
  } catch (err) {
    throw new CliError('CONFIG', `config file ${file} is not valid: ${(err as Error).message}`, EXIT.USAGE, { hint: 'run `kaas login` again, or delete the file' });
  }
}

/** Writes the config file atomically with mode 0600 (its directory 0700), also when it already existed. */
export function writeConfig(file: string, config: SavedConfig): void {
  const dir = path.dirname(file);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.tmp`;
  const body = { ...(config.currentContext !== undefined ? { currentContext: config.currentContext } : {}), contexts: { ...config.contexts } };
  fs.writeFileSync(tmp, JSON.stringify(body, null, 2) + '\n', { mode: 0o600 });
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

/** A saved context by name; an unknown name is a not-found error listing the known ones. */
export function contextNamed(config: SavedConfig | undefined, name: string): SavedContext {
  const contexts = config?.contexts ?? emptyContexts();
  if (Object.hasOwn(contexts, name)) return contexts[name]!;
  const known = Object.keys(contexts);
  throw new CliError('NOT_FOUND', `context "${name}" does not exist`, EXIT.NOT_FOUND, {
    hint: known.length ? `known contexts: ${known.sort().join(', ')} (kaas config get-contexts)` : 'create one with `kaas login --url URL --token TOKEN --context NAME` or `kaas config set-context NAME --url URL --token TOKEN`',
  });
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

/** The context a call uses: --context, else KAAS_CONTEXT, else the current one. */
export function selectedContextName(flags: { context?: string | undefined }, env: Env, config: SavedConfig | undefined): string | undefined {
  return flags.context || env.KAAS_CONTEXT || config?.currentContext;
}

/**
 * Flags > KAAS_URL / KAAS_TOKEN > the selected context > default URL (no token). The context's
 * default team comes along only when its URL is the one used.
 */
export function resolveConnection(flags: { url?: string | undefined; token?: string | undefined; context?: string | undefined }, env: Env): Connection {
  const explicit = flags.context || env.KAAS_CONTEXT;
  const config = flags.url && flags.token && !explicit ? undefined : readConfig(configPath(env));
  const name = selectedContextName(flags, env, config);
  const saved = name === undefined ? undefined : explicit ? contextNamed(config, name) : config?.contexts[name];
  // an empty variable counts as unset
  const url = normaliseUrl(flags.url || env.KAAS_URL || saved?.url || DEFAULT_URL);
  const token = flags.token || env.KAAS_TOKEN || saved?.token;
  const team = saved?.team && normaliseUrl(saved.url) === url ? saved.team : undefined;
  // the context's SSO token is refreshed only when it is the token used
  const sso = saved?.sso && name !== undefined && token === saved.token ? { saved: saved.sso, context: name, configFile: configPath(env) } : undefined;
  return { url, token: token || undefined, ...(saved ? { context: name } : {}), ...(team ? { team } : {}), ...(sso ? { sso } : {}) };
}

/** The kubeconfig to merge into: --kubeconfig, else the first file of $KUBECONFIG, else ~/.kube/config (like kubectl). */
export function kubeconfigPath(env: Env, flag: string | undefined): string {
  if (flag) return path.resolve(flag);
  const first = (env.KUBECONFIG ?? '').split(path.delimiter).find((p) => p.length > 0);
  if (first) return path.resolve(first);
  return path.join(env.HOME || os.homedir(), '.kube', 'config');
}
