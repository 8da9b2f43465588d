/**
 * `kaas templates publish FILE`: publish a template YAML (FILE "-" reads stdin); identical content is a
 * no-op. The platform assigns the version (latest + 1): a differing `version:` in the file is ignored,
 * and the result's `message` (what the CLI prints) says so.
 */
import fs from 'node:fs';
import type { PublishResult } from '../../api-types.ts';
import type { Api } from '../../client.ts';
import { usageError } from '../../errors.ts';

export async function publishTemplate(api: Api, opts: { file: string; readStdin?: () => Promise<string> }): Promise<PublishResult> {
  let yaml: string;
  try {
    yaml = opts.file === '-' && opts.readStdin ? await opts.readStdin() : fs.readFileSync(opts.file, 'utf8');
  } catch (err) {
    throw usageError(`cannot read ${opts.file}: ${(err as Error).message}`);
  }
  if (!yaml.trim()) throw usageError(`${opts.file} is empty`);
  return api.trpc.templates.publish.mutate({ yaml });
}
