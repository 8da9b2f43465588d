/**
 * `kaas config get-contexts|current-context|use-context|set-context|delete-context`: the saved
 * contexts of the config file (tokens are never printed).
 */
import { checkContextName, contextNamed, normaliseUrl, readConfig, writeConfig, type SavedConfig, type SavedContext } from '../../config.ts';
import { CliError, usageError } from '../../errors.ts';
import { EXIT } from '../../exit-codes.ts';

/** A context as listed: never its token. */
export interface ContextView {
  name: string;
  current: boolean;
  url: string;
  team: string | null;
  hasToken: boolean;
}

const load = (file: string): SavedConfig => readConfig(file) ?? { currentContext: undefined, contexts: Object.create(null) as Record<string, SavedContext> };

/** Every saved context, by name. */
export function getContexts(file: string): { items: ContextView[] } {
  const config = load(file);
  const items = Object.keys(config.contexts)
    .sort()
    .map((name) => {
      const c = config.contexts[name]!;
      return { name, current: name === config.currentContext, url: c.url, team: c.team ?? null, hasToken: Boolean(c.token) };
    });
  return { items };
}

/** The current context's name; an error when there is none. */
export function currentContext(file: string): { name: string } {
  const config = load(file);
  if (config.currentContext === undefined) throw new CliError('NOT_FOUND', 'no current context', EXIT.NOT_FOUND, { hint: 'kaas login --url URL --token TOKEN, or kaas config use-context NAME' });
  return { name: config.currentContext };
}

/** Makes `name` the current context. */
export function useContext(file: string, name: string): { name: string } {
  const config = load(file);
  contextNamed(config, name);
  writeConfig(file, { ...config, currentContext: name });
  return { name };
}

/** What `set-context` may change; undefined leaves a field as it is, an empty team clears it. */
export interface ContextChange {
  url?: string | undefined;
  token?: string | undefined;
  team?: string | undefined;
  /** An SSO login's refresh details; a new plain token (without this) drops the old ones, null drops them too. */
  sso?: SavedContext['sso'] | null;
}

/** Creates or updates a context (a new one needs --url); the first context becomes current. */
export function setContext(file: string, name: string, change: ContextChange, opts: { makeCurrent?: boolean } = {}): { name: string; created: boolean; current: boolean } {
  checkContextName(name);
  const config = load(file);
  const existing = Object.hasOwn(config.contexts, name) ? config.contexts[name] : undefined;
  const url = change.url !== undefined ? normaliseUrl(change.url) : existing?.url;
  if (!url) throw usageError(`context "${name}" is new: it needs --url`, `kaas config set-context ${name} --url http://127.0.0.1:7080 --token-file FILE`);
  const token = change.token ?? existing?.token;
  const team = change.team === undefined ? existing?.team : change.team || undefined;
  const sso = change.sso === null ? undefined : (change.sso ?? (change.token !== undefined ? undefined : existing?.sso));
  config.contexts[name] = { url, ...(token ? { token } : {}), ...(team ? { team } : {}), ...(sso ? { sso } : {}) };
  const current = opts.makeCurrent || config.currentContext === undefined ? name : config.currentContext;
  writeConfig(file, { currentContext: current, contexts: config.contexts });
  return { name, created: !existing, current: current === name };
}

/** Removes a context; when it was current, no context is current afterwards. */
export function deleteContext(file: string, name: string): { name: string; wasCurrent: boolean } {
  const config = load(file);
  contextNamed(config, name);
  delete config.contexts[name];
  const wasCurrent = config.currentContext === name;
  writeConfig(file, { currentContext: wasCurrent ? undefined : config.currentContext, contexts: config.contexts });
  return { name, wasCurrent };
}
