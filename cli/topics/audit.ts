/** `kaas audit [filters]`. */
import type { Command } from 'commander';
import { listAudit, type AuditFilters } from '../commands/audit/list.ts';
import { auditTable } from '../render/resources.ts';
import type { Runtime } from '../runtime.ts';

export function registerAudit(program: Command, rt: Runtime): void {
  program
    .command('audit')
    .description('the audit log of every mutation, newest first')
    .option('--team <team>', 'only this team')
    .option('--actor <subject>', 'only this actor')
    .option('--action <action>', 'only this action, e.g. clusters.create')
    .option('--result <result>', 'ok, denied or failed')
    .option('--since <time>', 'from this time: ISO date or a duration ago (2h, 7d)')
    .option('--until <time>', 'up to this time: ISO date or a duration ago')
    .option('--limit <n>', 'entries per page')
    .option('--cursor <cursor>', 'the next page, as printed after a page')
    .action(async (o: AuditFilters, cmd: Command) => rt.print(cmd, await listAudit(rt.client(cmd), o), auditTable));
}
