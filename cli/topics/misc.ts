/** `kaas version` and `kaas completion bash|zsh|fish`. */
import type { Command } from 'commander';
import { completionScript } from '../commands/completion/scripts.ts';
import { versions, versionText } from '../commands/version/version.ts';
import type { Runtime } from '../runtime.ts';

export function registerMisc(program: Command, rt: Runtime): void {
  program
    .command('version')
    .description('print the client version and the server version')
    .option('--client', 'the client version only (asks no server)')
    .action(async (o: { client?: boolean }, cmd: Command) => {
      const url = o.client ? undefined : rt.resolve(cmd).url;
      rt.print(cmd, await versions(url), versionText);
    });

  program
    .command('completion <shell>')
    .description('print a shell completion script (bash, zsh or fish); it completes commands, flags and cluster, template and campaign names')
    .action((shell: string) => rt.io.stdout(completionScript(shell)));
}
