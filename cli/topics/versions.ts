/** `kaas versions`: Kubernetes versions per cloud, their support phase, dates and source. */
import type { Command } from 'commander';
import { listVersions } from '../commands/versions/list.ts';
import { versionsText } from '../render/versions.ts';
import type { Runtime } from '../runtime.ts';

export function registerVersions(program: Command, rt: Runtime): void {
  program
    .command('versions')
    .description('Kubernetes versions per cloud: standard / extended / end-of-support, dates, default and source')
    .option('--cloud <cloud>', 'only this cloud: sim, aws, gcp or azure')
    .option('--target <target>', "read the target cloud's live list (falls back to the calendar, and says so)")
    .action(async (o: { cloud?: string; target?: string }, cmd: Command) => rt.print(cmd, await listVersions(rt.client(cmd), { cloud: o.cloud, target: o.target }), versionsText));
}
