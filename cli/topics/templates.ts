/** `kaas templates list|get|publish|deprecate|rollout-preview`. */
import type { Command } from 'commander';
import YAML from 'yaml';
import { deprecateTemplate } from '../commands/templates/deprecate.ts';
import { getTemplate } from '../commands/templates/get.ts';
import { listTemplates } from '../commands/templates/list.ts';
import { publishTemplate } from '../commands/templates/publish.ts';
import { rolloutPreview, rolloutPreviewInput } from '../commands/templates/rollout-preview.ts';
import { rolloutPreviewText } from '../render/fleet.ts';
import { deprecatedText, templatesTable, templateText } from '../render/resources.ts';
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
    .option('--all', 'every version, not only the latest')
    .option('--cloud <cloud>', 'only this cloud: sim, aws, gcp or azure')
    .action(async (o: { all?: boolean; cloud?: string }, cmd: Command) => rt.print(cmd, await listTemplates(rt.client(cmd), { all: o.all ?? false, cloud: o.cloud }), templatesTable));

  templates
    .command('get <name>')
    .description('show a template: NAME (latest) or NAME@VERSION')
    .action(async (name: string, _o: object, cmd: Command) => rt.print(cmd, await getTemplate(rt.client(cmd), { name }), (t) => templateText(t, (v) => YAML.stringify(v).trimEnd())));

  templates
    .command('publish <file>')
    .description('publish a template YAML file ("-" for stdin); unchanged content keeps its version')
    .action(async (file: string, _o: object, cmd: Command) => {
      const result = await publishTemplate(rt.client(cmd), { file, readStdin });
      rt.print(cmd, result, (r) => r.message);
    });

  templates
    .command('deprecate <name>')
    .description('deprecate NAME@VERSION, or every version of NAME: new clusters can no longer use it')
    .requiredOption('--message <text>', 'why, and what to use instead')
    .action(async (name: string, o: { message: string }, cmd: Command) => {
      rt.print(cmd, await deprecateTemplate(rt.client(cmd), { name, message: o.message }), deprecatedText);
    });

  templates
    .command('rollout-preview <name>')
    .description('show, per cluster, what rolling out template version --to would change (platform admins); changes nothing')
    .requiredOption('--to <n>', 'the template version to roll out')
    .option('--from <m>', 'only clusters now on this version (default: every older version)')
    .action(async (name: string, o: { to: string; from?: string }, cmd: Command) => {
      const input = rolloutPreviewInput({ name, to: o.to, from: o.from });
      rt.print(cmd, await rolloutPreview(rt.client(cmd), input), rolloutPreviewText);
    });
}
