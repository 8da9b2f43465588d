/** `kaas clusters kubeconfig NAME [--file PATH]`: the cluster's kubeconfig, optionally written 0600. */
import fs from 'node:fs';
import path from 'node:path';
import type { Api } from '../../client.ts';

export interface KubeconfigResult {
  kubeconfig: string;
  simulated: boolean;
  /** The file written, when --file was given. */
  file?: string;
}

export async function getKubeconfig(api: Api, opts: { team?: string | undefined; name: string; file?: string | undefined }): Promise<KubeconfigResult> {
  const result = await api.trpc.clusters.kubeconfig.query({ ...(opts.team ? { team: opts.team } : {}), name: opts.name });
  if (!opts.file) return result;
  const file = path.resolve(opts.file);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, result.kubeconfig, { mode: 0o600 });
  fs.chmodSync(file, 0o600); // also when the file existed with wider permissions
  return { ...result, file };
}
