/** `kaas config get-contexts|current-context|use-context|set-context|delete-context`. */
import fs from 'node:fs';
import type { Command } from 'commander';
import { currentContext, deleteContext, getContexts, setContext, useContext, type ContextView } from '../commands/config/contexts.ts';
import { configPath } from '../config.ts';
import { usageError } from '../errors.ts';
import { renderTable } from '../render/table.ts';
import type { Runtime } from '../runtime.ts';

function contextsTable(list: { items: ContextView[] }): string {
  return renderTable(
    [
      { header: 'current', value: (c: ContextView) => (c.current ? '*' : ' ') },
      { header: 'name', value: (c) => c.name },
      { header: 'url', value: (c) => c.url },
      { header: 'team', value: (c) => c.team },
    ],
    list.items,
    'no contexts: kaas login --url URL --token TOKEN',
  );
}

export function registerConfig(program: Command, rt: Runtime): void {
  const config = program.command('config').description('saved contexts: platform URL, token and default team, one of them current');
  const file = () => configPath(rt.io.env);

  config
    .command('get-contexts')
    .description('list the saved contexts (never their tokens); * marks the current one')
    .action((_o: object, cmd: Command) => rt.print(cmd, getContexts(file()), contextsTable));

  config
    .command('current-context')
    .description('print the name of the current context')
    .action((_o: object, cmd: Command) => rt.print(cmd, currentContext(file()), (r) => r.name));

  config
    .command('use-context <name>')
    .description('make a saved context the current one')
    .action((name: string, _o: object, cmd: Command) => rt.print(cmd, useContext(file(), name), (r) => `switched to context "${r.name}"`));

  config
    .command('set-context <name>')
    .description('create or change a context; a new one needs --url (the first one becomes current)')
    .option('--token-file <file>', 'read the token from a file (saved in the config file, mode 0600)')
    .option('--team <team>', 'default team for commands run in this context ("" clears it)')
    .option('--current', 'also make it the current context')
    .action((name: string, o: { tokenFile?: string; team?: string; current?: boolean }, cmd: Command) => {
      const g = rt.globals(cmd);
      if (g.token !== undefined && o.tokenFile !== undefined) throw usageError('give either --token or --token-file, not both');
      let token = g.token;
      if (o.tokenFile !== undefined) {
        try {
          token = fs.readFileSync(o.tokenFile, 'utf8').trim();
        } catch (err) {
          throw usageError(`cannot read --token-file ${o.tokenFile}: ${(err as Error).message}`);
        }
      }
      const result = setContext(file(), name, { url: g.url, token, team: o.team }, { makeCurrent: o.current ?? false });
      rt.print(cmd, result, (r) => `${r.created ? 'created' : 'updated'} context "${r.name}"${r.current ? ' (current)' : ''}`);
    });

  config
    .command('delete-context <name>')
    .description('forget a saved context (its token stays valid until revoked)')
    .action((name: string, _o: object, cmd: Command) => rt.print(cmd, deleteContext(file(), name), (r) => `deleted context "${r.name}"${r.wasCurrent ? '; no context is current now (kaas config use-context NAME)' : ''}`));
}
