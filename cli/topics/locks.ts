/** `kaas locks list|clear` (platform admins): Pulumi stack locks in the state backend. */
import type { Command } from 'commander';
import { clearLock } from '../commands/locks/clear.ts';
import { listLocks } from '../commands/locks/list.ts';
import { locksTable } from '../render/resources.ts';
import type { Runtime } from '../runtime.ts';

export function registerLocks(program: Command, rt: Runtime): void {
  const locks = program.command('locks').alias('lock').description('Pulumi stack locks in the state backend (platform admins)');

  locks
    .command('list')
    .description('every stack lock, who holds it, and whether the platform clears it by itself')
    .option('--cluster <name>', 'only this cluster')
    .option('--team <team>', 'the cluster\'s team, when its name is used by several')
    .action(async (o: { cluster?: string; team?: string }, cmd: Command) => rt.print(cmd, await listLocks(rt.client(cmd), o), (l) => locksTable(l.items)));

  locks
    .command('clear <cluster>')
    .description("remove a cluster's stack lock, audited; refused for a live owner unless --force")
    .requiredOption('--reason <text>', 'why it may be removed (kept in the audit log)')
    .option('--lock <id>', 'only this lock (as `kaas locks list` shows it)')
    .option('--force', 'remove it even though its owner is alive in the platform\'s records')
    .option('--team <team>', 'the cluster\'s team, when its name is used by several')
    .action(async (cluster: string, o: { reason: string; lock?: string; force?: boolean; team?: string }, cmd: Command) =>
      rt.print(cmd, await clearLock(rt.client(cmd), { cluster, ...o }), (r) => `cleared ${r.cleared.length} lock(s) of cluster ${r.cluster} (team ${r.team}); recorded in the audit log\n${locksTable(r.cleared)}`),
    );
}
