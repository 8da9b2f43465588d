/** `kaas templates list|get|publish|deprecate`. */
import type { Command } from 'commander';
import YAML from 'yaml';
import { deprecateTemplate } from '../commands/templates/deprecate.ts';
import { getTemplate } from '../commands/templates/get.ts';
import { listTemplates } from '../commands/templates/list.ts';
import { publishTemplate } from '../commands/templates/publish.ts';
import { templatesTable, templateText } from '../render/resources.ts';
import type { Runtime } from '../runtime.ts';

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string));
  return Buffer.concat(chunks).toString('utf8');
}

export function registerTemplates(program: Command, rt: Runtime): void {
  const templates = program.command('templates').alias('template').description('cluster templates');

  templates
    .command('list')
    .description('list templates (latest versions; --all for every version)')
    .option('--all', 'every version, deprecated ones included')
    .action(async (o: { all?: boolean }, cmd: Command) => rt.print(cmd, await listTemplates(rt.client(cmd), { all: o.all ?? false }), templatesTable));

  templates
    .command('get <ref>')
    .description('show a template: NAME (latest) or NAME@VERSION')
    .action(async (ref: string, _o: object, cmd: Command) => rt.print(cmd, await getTemplate(rt.client(cmd), { ref }), (t) => templateText(t, (v) => YAML.stringify(v).trimEnd())));

  templates
    .command('publish <file>')
    .description('publish a template YAML file ("-" for stdin); unchanged content keeps its version')
    .action(async (file: string, _o: object, cmd: Command) => {
      const result = await publishTemplate(rt.client(cmd), { file, readStdin });
      rt.print(cmd, result, (r) => `${r.created ? 'published' : 'unchanged:'} ${r.template.ref ?? `${r.template.name}@${r.template.version}`}`);
    });

  templates
    .command('deprecate <ref>')
    .description('deprecate a template version: new clusters can no longer use it')
    .requiredOption('--message <text>', 'why, and what to use instead')
    .action(async (ref: string, o: { message: string }, cmd: Command) => {
      const result = await deprecateTemplate(rt.client(cmd), { ref, message: o.message });
      rt.print(cmd, result, (t) => `deprecated ${t.ref ?? ref}: ${o.message}`);
    });
}
