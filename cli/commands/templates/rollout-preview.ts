/**
 * `kaas templates rollout-preview NAME --to N [--from M]`: for each cluster built from an older
 * version of the template (or exactly version M), the fields rolling out version N would change,
 * or why its overrides no longer resolve against N. Changes nothing.
 */
import type { RolloutPreview } from '../../api-types.ts';
import type { Api } from '../../client.ts';
import { usageError } from '../../errors.ts';

function version(flag: string, value: string): number {
  if (!/^\d+$/.test(value.trim()) || Number(value) < 1) throw usageError(`${flag} "${value}" must be a template version (1, 2, …)`);
  return Number(value.trim());
}

/** The `templates.rolloutPreview` input the arguments describe; a usage error (exit 2) before any request otherwise. */
export function rolloutPreviewInput(opts: { name: string; to: string; from?: string | undefined }): { name: string; toVersion: number; fromVersion?: number } {
  if (opts.name.includes('@')) throw usageError(`give the template name without a version ("${opts.name.split('@')[0]}"); the versions are --to and --from`);
  return { name: opts.name, toVersion: version('--to', opts.to), ...(opts.from !== undefined ? { fromVersion: version('--from', opts.from) } : {}) };
}

export async function rolloutPreview(api: Api, input: { name: string; toVersion: number; fromVersion?: number }): Promise<RolloutPreview> {
  return api.trpc.templates.rolloutPreview.query(input);
}
