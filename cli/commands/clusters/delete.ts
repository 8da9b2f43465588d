/**
 * `kaas clusters delete NAME --confirm NAME`: start a delete operation. Without --confirm the name
 * is asked for on a terminal; with no terminal the command refuses (exit 2).
 */
import type { ApprovalRequest, Operation } from '../../api-types.ts';
import type { Api } from '../../client.ts';
import { CliError } from '../../errors.ts';
import { EXIT } from '../../exit-codes.ts';

/** The confirmation: the flag, else the answer to `ask` on a terminal, else a refusal. */
export async function resolveConfirmation(name: string, confirm: string | undefined, terminal: { isTTY: boolean; ask(question: string): Promise<string> }): Promise<string> {
  if (confirm !== undefined) return confirm;
  if (!terminal.isTTY) {
    throw new CliError('CONFIRMATION_REQUIRED', `refusing to delete cluster "${name}" without confirmation: stdin is not a terminal`, EXIT.USAGE, { hint: `repeat the name: kaas clusters delete ${name} --confirm ${name}` });
  }
  const answer = (await terminal.ask(`Delete cluster "${name}" and everything in it? Type its name to confirm: `)).trim();
  if (answer !== name) throw new CliError('NOT_CONFIRMED', `deletion not confirmed: "${answer}" is not "${name}"`, EXIT.USAGE, { hint: 'nothing was deleted' });
  return answer;
}

export async function deleteCluster(api: Api, opts: { team?: string | undefined; name: string; confirm: string }): Promise<{ operation: Operation | null; approval: ApprovalRequest | null }> {
  return api.trpc.clusters.delete.mutate({ ...(opts.team ? { team: opts.team } : {}), name: opts.name, confirm: opts.confirm });
}
