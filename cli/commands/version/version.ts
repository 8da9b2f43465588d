/** `kaas version`: the client's version and the server's (its public `/version`), like `kubectl version`. */
import { KAAS_VERSION } from '../../../platform/version.ts';
import { CliError } from '../../errors.ts';
import { EXIT } from '../../exit-codes.ts';

export interface VersionResult {
  client: { version: string };
  /** Null with --client, or when the server could not be asked. */
  server: { version: string; url: string } | null;
}

/** Asks `<url>/version`; an unreachable server or an odd answer is an error naming the URL. */
export async function versions(url: string | undefined): Promise<VersionResult> {
  const client = { version: KAAS_VERSION };
  if (url === undefined) return { client, server: null };
  let body: unknown;
  try {
    const res = await fetch(`${url}/version`, { signal: AbortSignal.timeout(10_000) });
    body = res.ok ? await res.json() : undefined;
  } catch {
    throw new CliError('UNREACHABLE', `cannot reach the kaas API at ${url} for its version (client version ${KAAS_VERSION})`, EXIT.UNREACHABLE, { hint: 'is the platform running? (bash scripts/start.sh); `kaas version --client` prints the client version only' });
  }
  const version = (body as { version?: unknown } | undefined)?.version;
  if (typeof version !== 'string') throw new CliError('UNREACHABLE', `${url}/version did not answer like the kaas API (client version ${KAAS_VERSION})`, EXIT.UNREACHABLE, { hint: 'check --url / KAAS_URL / the current context' });
  return { client, server: { version, url } };
}

/** `Client Version: …` / `Server Version: … (url)`. */
export function versionText(v: VersionResult): string {
  return [`Client Version: ${v.client.version}`, ...(v.server ? [`Server Version: ${v.server.version} (${v.server.url})`] : [])].join('\n');
}
