/**
 * `kaas clusters kubeconfig NAME --merge`: the cluster's kubeconfig merged into the user's, like
 * `aws eks update-kubeconfig`: one cluster, user and context entry named `kaas-TEAM-NAME` (an entry
 * of that name from another kaas platform is kept, and the new one is named
 * `kaas-CONTEXT-TEAM-NAME`), replacing its own earlier entry and keeping every other; written
 * atomically with mode 0600. Which platform wrote an entry is recorded as a context extension, the
 * way minikube marks its contexts (kubernetes/minikube pkg/minikube/kubeconfig/extension.go; the
 * `extensions` field of clientcmd v1 `Context`,
 * https://kubernetes.io/docs/reference/config-api/kubeconfig.v1/#Context).
 */
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { CliError } from '../../errors.ts';
import { EXIT } from '../../exit-codes.ts';

/** The extension name on contexts kaas writes. */
export const SOURCE_EXTENSION = 'kaas.io/source';

/** Which platform, team and cluster an entry came from. */
export interface KubeconfigSource {
  url: string;
  team: string;
  cluster: string;
}

interface Named {
  name: string;
  [key: string]: unknown;
}
interface KubeconfigDoc {
  clusters?: Named[] | null;
  contexts?: Named[] | null;
  users?: Named[] | null;
  'current-context'?: string;
  [key: string]: unknown;
}

export interface MergeResult {
  file: string;
  context: string;
  replaced: boolean;
  currentContext: string | undefined;
}

const invalid = (file: string, problem: string) => new CliError('CONFIG', `kubeconfig ${file} is not valid: ${problem}`, EXIT.USAGE, { hint: 'fix or move the file, or merge into another one with --kubeconfig PATH' });

function readKubeconfig(file: string): KubeconfigDoc {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { apiVersion: 'v1', kind: 'Config', preferences: {}, clusters: [], contexts: [], users: [] };
    throw new CliError('CONFIG', `cannot read kubeconfig ${file}: ${(err as Error).message}`, EXIT.USAGE);
  }
  let doc: unknown;
  try {
    doc = YAML.parse(text) ?? {};
  } catch (err) {
    throw invalid(file, (err as Error).message.split('\n')[0]!);
  }
  if (typeof doc !== 'object' || Array.isArray(doc)) throw invalid(file, 'expected a mapping');
  const d = doc as KubeconfigDoc;
  for (const key of ['clusters', 'contexts', 'users'] as const) {
    if (d[key] != null && !Array.isArray(d[key])) throw invalid(file, `"${key}" must be a list`);
    if ((d[key] ?? []).some((e) => !e || typeof e.name !== 'string')) throw invalid(file, `every entry of "${key}" needs a name`);
  }
  return d;
}

/** The cluster, user and context entries of the API's one-cluster kubeconfig. */
function entriesOf(kubeconfig: string): { cluster: Named; user: Named; context: Named } {
  const doc = YAML.parse(kubeconfig) as KubeconfigDoc;
  const context = doc.contexts?.find((c) => c.name === doc['current-context']) ?? doc.contexts?.[0];
  const inner = (context?.context ?? {}) as { cluster?: string; user?: string };
  const cluster = doc.clusters?.find((c) => c.name === inner.cluster);
  const user = doc.users?.find((u) => u.name === inner.user);
  if (!context || !cluster || !user) throw new CliError('INTERNAL', 'the API returned a kubeconfig without a context, cluster and user', EXIT.INTERNAL);
  return { cluster, user, context };
}

function sourceOf(entry: Named | undefined): KubeconfigSource | undefined {
  const exts = (entry?.context as { extensions?: { name?: string; extension?: KubeconfigSource }[] } | undefined)?.extensions;
  return exts?.find((e) => e.name === SOURCE_EXTENSION)?.extension;
}

const slug = (text: string) => text.replace(/[^A-Za-z0-9.-]+/g, '-').replace(/^-+|-+$/g, '');

/** The entry name: `kaas-TEAM-NAME`, or `kaas-PLATFORM-TEAM-NAME` when another platform's entry has that name. */
export function mergedName(existing: KubeconfigDoc, source: KubeconfigSource, platform: string): string {
  const base = `kaas-${source.team}-${source.cluster}`;
  const taken = (existing.contexts ?? []).find((c) => c.name === base);
  if (!taken) return base;
  const owner = sourceOf(taken);
  return owner && owner.url === source.url ? base : `kaas-${slug(platform)}-${source.team}-${source.cluster}`;
}

function upsert(list: Named[] | null | undefined, entry: Named): { list: Named[]; replaced: boolean } {
  const items = list ?? [];
  const i = items.findIndex((e) => e.name === entry.name);
  if (i < 0) return { list: [...items, entry], replaced: false };
  return { list: items.map((e, j) => (j === i ? entry : e)), replaced: true };
}

/** Merges `kubeconfig` (the API's, for one cluster) into `file`. `platform` names the kaas context (or host) for unique names. */
export function mergeKubeconfig(opts: { file: string; kubeconfig: string; source: KubeconfigSource; platform: string; setCurrent: boolean }): MergeResult {
  const doc = readKubeconfig(opts.file);
  const { cluster, user, context } = entriesOf(opts.kubeconfig);
  const name = mergedName(doc, opts.source, opts.platform);
  const contextBody = { ...(context.context as object), cluster: name, user: name, extensions: [{ name: SOURCE_EXTENSION, extension: opts.source }] };
  const clusters = upsert(doc.clusters, { ...cluster, name });
  const users = upsert(doc.users, { ...user, name });
  const contexts = upsert(doc.contexts, { name, context: contextBody });
  const merged: KubeconfigDoc = { apiVersion: 'v1', kind: 'Config', ...doc, clusters: clusters.list, contexts: contexts.list, users: users.list };
  if (opts.setCurrent) merged['current-context'] = name;
  const dir = path.dirname(opts.file);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const tmp = path.join(dir, `.${path.basename(opts.file)}.${process.pid}.tmp`);
  fs.writeFileSync(tmp, YAML.stringify(merged), { mode: 0o600 });
  fs.chmodSync(tmp, 0o600);
  fs.renameSync(tmp, opts.file);
  return { file: opts.file, context: name, replaced: contexts.replaced, currentContext: merged['current-context'] };
}
