/**
 * `kaas targets approval-policy NAME --file FILE | --default` (platform admins): sets which actions
 * on the target's clusters need approval, from a YAML or JSON file (see README "Approvals"), or
 * restores the platform's default policy.
 */
import fs from 'node:fs';
import { parse } from 'yaml';
import type { Target } from '../../api-types.ts';
import type { Api } from '../../client.ts';
import { CliError } from '../../errors.ts';
import { EXIT } from '../../exit-codes.ts';

export async function setApprovalPolicy(api: Api, opts: { name: string; file?: string | undefined; default?: boolean | undefined }): Promise<Target> {
  if (Boolean(opts.file) === Boolean(opts.default)) {
    throw new CliError('USAGE', 'give either --file FILE (the policy) or --default (the platform default), not both or neither', EXIT.USAGE, { hint: `kaas targets approval-policy ${opts.name} --file policy.yaml` });
  }
  const policy = opts.file ? (parse(fs.readFileSync(opts.file === '-' ? 0 : opts.file, 'utf8')) as Record<string, unknown>) : null;
  return api.trpc.targets.update.mutate({ name: opts.name, approvalPolicy: policy as never });
}
