/**
 * `kaas __complete WORD… CURRENT`, the callback of the shell scripts of `kaas completion`: walks
 * the command tree over the words typed so far and prints the candidates for the current word, one
 * a line: subcommands, flags, flag values (choices, `--template`, `--team`, `--context`), and the
 * names of clusters, templates, campaigns and contexts, read from the API. Any failure (no login,
 * no API) completes nothing, silently.
 */
import type { Command, Option } from 'commander';
import type { Api } from '../../client.ts';
import { readConfig, configPath } from '../../config.ts';
import { OUTPUT_SHELLS } from './scripts.ts';

/** Where names come from: the API (or the config file, for contexts). */
export interface NameSource {
  clusters(team: string | undefined): Promise<string[]>;
  templates(): Promise<string[]>;
  campaigns(): Promise<string[]>;
  teams(): Promise<string[]>;
  contexts(): string[];
}

/** Names from the API through `api()` (made only when needed) and from the config file. */
export function apiNames(api: () => Api, env: Record<string, string | undefined>): NameSource {
  return {
    clusters: async (team) => (await api().trpc.clusters.list.query({ ...(team ? { team } : {}), limit: 200 })).items.map((c) => c.name),
    templates: async () => [...new Set((await api().trpc.templates.list.query({})).items.map((t: { name: string }) => t.name))],
    campaigns: async () => (await api().trpc.fleet.list.query({ limit: 100 })).items.map((c: { name: string }) => c.name),
    teams: async () => (await api().trpc.teams.list.query()).items.map((t: { name: string }) => t.name),
    contexts: () => Object.keys(readConfig(configPath(env))?.contexts ?? {}).sort(),
  };
}

const takesValue = (o: Option) => o.required || o.optional;
const visible = (c: Command) => !(c as Command & { _hidden?: boolean })._hidden;

function findOption(cmd: Command, flag: string): Option | undefined {
  for (let c: Command | null = cmd; c; c = c.parent) {
    const o = c.options.find((x) => x.long === flag || x.short === flag);
    if (o) return o;
  }
  return undefined;
}

/** What kind of name a positional argument takes, by topic and argument name. */
function argumentKind(cmd: Command, arg: string): 'cluster' | 'template' | 'campaign' | 'context' | 'shell' | undefined {
  const topic = cmd.parent?.name();
  if (arg === 'cluster' || (topic === 'clusters' && arg === 'name')) return 'cluster';
  if (topic === 'templates' && arg === 'name') return 'template';
  if (arg === 'campaign') return 'campaign';
  if (topic === 'config' && arg === 'name') return 'context';
  if (arg === 'shell') return 'shell';
  return undefined;
}

/** Values for a flag: its choices, or names for the flags that take them. */
async function optionValues(o: Option, names: NameSource): Promise<string[]> {
  if (o.argChoices) return o.argChoices;
  if (o.long === '--output') return ['table', 'json', 'yaml', 'name', 'jsonpath='];
  if (o.long === '--template' || o.long === '--selector-template') return names.templates();
  if (o.long === '--team') return names.teams();
  if (o.long === '--context') return names.contexts();
  return [];
}

/** The candidates for the last of `words` (the words after `kaas`), filtered by its prefix. */
export async function completeWords(program: Command, words: string[], names: NameSource): Promise<string[]> {
  const typed = words.slice(0, -1);
  const cur = words[words.length - 1] ?? '';
  let cmd = program;
  let positionals = 0;
  let team: string | undefined;
  let pending: Option | undefined;
  for (const word of typed) {
    if (pending) {
      if (pending.long === '--team') team = word;
      pending = undefined;
    } else if (word.startsWith('-')) {
      const o = findOption(cmd, word.split('=')[0]!);
      if (o && takesValue(o) && !word.includes('=')) pending = o;
    } else {
      const sub = cmd.commands.find((c) => c.name() === word || c.aliases().includes(word));
      if (sub && positionals === 0) cmd = sub;
      else positionals++;
    }
  }
  let candidates: string[] = [];
  try {
    if (pending) candidates = await optionValues(pending, names);
    else if (cur.startsWith('-')) candidates = [cmd, ...ancestors(cmd)].flatMap((c) => c.options.map((o) => o.long).filter((l): l is string => Boolean(l)));
    else if (cmd.commands.length > 0) candidates = cmd.commands.filter(visible).map((c) => c.name());
    else {
      const arg = cmd.registeredArguments[positionals];
      const kind = arg ? argumentKind(cmd, arg.name()) : undefined;
      if (kind === 'cluster') candidates = await names.clusters(team);
      else if (kind === 'template') candidates = await names.templates();
      else if (kind === 'campaign') candidates = await names.campaigns();
      else if (kind === 'context') candidates = names.contexts();
      else if (kind === 'shell') candidates = [...OUTPUT_SHELLS];
    }
  } catch {
    return []; // no login, no API, not allowed: complete nothing
  }
  return [...new Set(candidates)].filter((c) => c.startsWith(cur)).sort();
}

function ancestors(cmd: Command): Command[] {
  const out: Command[] = [];
  for (let c = cmd.parent; c; c = c.parent) out.push(c);
  return out;
}
