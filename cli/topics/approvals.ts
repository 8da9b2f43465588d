/** `kaas approvals list|approve|reject`: decide the requests sensitive actions wait on. */
import { Option, type Command } from 'commander';
import { approveRequest, rejectRequest } from '../commands/approvals/decide.ts';
import { APPROVAL_STATUSES, listApprovals, type ApprovalStatusFilter } from '../commands/approvals/list.ts';
import { approvalDecisionText, approvalListTable } from '../render/approvals.ts';
import type { Runtime } from '../runtime.ts';

export function registerApprovals(program: Command, rt: Runtime): void {
  const approvals = program.command('approvals').description('approval requests: protected deletes, destructive reconciles, forced upgrades, fleet waves');
  approvals
    .command('list')
    .description('approval requests you can see, newest first (pending ones unless --status)')
    .addOption(new Option('--status <status>', 'only requests with this status, or all').choices([...APPROVAL_STATUSES, 'all']))
    .action(async (o: { status?: ApprovalStatusFilter }, cmd: Command) => rt.print(cmd, await listApprovals(rt.client(cmd), o), approvalListTable));
  approvals
    .command('approve <id>')
    .description('approve a request (never your own); once enough approvers did, the action starts')
    .option('--reason <text>', 'why, recorded with the approval')
    .action(async (id: string, o: { reason?: string }, cmd: Command) => rt.print(cmd, await approveRequest(rt.client(cmd), { id, reason: o.reason }), approvalDecisionText));
  approvals
    .command('reject <id>')
    .description('reject a request; what waited on it ends with the reason')
    .requiredOption('--reason <text>', 'why, recorded and shown to the requester')
    .action(async (id: string, o: { reason: string }, cmd: Command) => rt.print(cmd, await rejectRequest(rt.client(cmd), { id, reason: o.reason }), approvalDecisionText));
}
